package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.queue.JobSizing;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanJsonTest {

  @Test
  void printsEveryBatchWithFileTokensReasonAndSpansIncludingSingles() throws Exception {
    TestSpans py = new TestSpans(7, "src/user.py", "python");
    PlanSpan user = py.classSpan("User", 1, 12, 60, SpanContent.OUTLINE);
    List<PlannedBatch> plan =
        new BatchPlanner(PlanSettings.defaults())
            .plan(
                List.of(
                    user,
                    py.method(user, "get_email", 2, 3, 20),
                    py.method(user, "set_email", 5, 7, 35)));

    JsonNode json = new ObjectMapper().readTree(PlanJson.render(plan));

    JsonNode batches = json.get("batches");
    assertThat(batches).hasSize(2);
    JsonNode single = batches.get(0);
    assertThat(single.get("file").asText()).isEqualTo("src/user.py");
    assertThat(single.get("tokens").asInt()).isEqualTo(60);
    assertThat(single.get("job_tokens").asInt()).isEqualTo(JobSizing.jobTokens(60, 1));
    assertThat(single.get("reason").asText()).isEqualTo("below_min_size");
    assertThat(single.get("spans").get(0).get("content").asText()).isEqualTo("outline");
    JsonNode methods = batches.get(1);
    assertThat(methods.get("reason").asText()).isEqualTo("end_of_file");
    assertThat(methods.get("tokens").asInt()).isEqualTo(55);
    JsonNode setter = methods.get("spans").get(1);
    assertThat(setter.get("symbol").asText()).isEqualTo("User.set_email");
    assertThat(setter.get("kind").asText()).isEqualTo("method");
    assertThat(setter.get("start_line").asInt()).isEqualTo(5);
    assertThat(setter.get("end_line").asInt()).isEqualTo(7);
    assertThat(setter.get("tokens").asInt()).isEqualTo(35);
  }

  @Test
  void everyReasonHasASnakeCaseNameThatReadsBack() {
    assertThat(CloseReason.values())
        .extracting(CloseReason::jsonName)
        .containsExactly(
            "other_file",
            "other_kind",
            "line_gap",
            "token_budget",
            "large_span",
            "end_of_file",
            "below_min_size",
            "batching_off");
    for (CloseReason r : CloseReason.values()) {
      assertThat(CloseReason.fromJson(r.jsonName())).isEqualTo(r);
    }
  }
}
