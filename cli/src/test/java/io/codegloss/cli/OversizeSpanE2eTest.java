package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A span larger than a default worker (the stdlib has three such test classes) used to wait
 * forever: its job was larger than every default worker, so the capacity-aware fetch never handed
 * it out. Now it is enqueued at a default worker's size, {@code plan} says it runs cut, and a real
 * default worker (the embedded model) writes its note from the cut code and records the cut where
 * {@code show} prints it.
 */
@Tag("e2e")
class OversizeSpanE2eTest {

  @Test
  void aSpanLargerThanADefaultWorkerRunsOnOneWithItsCodeCutAndTheNoteSaysSo(@TempDir Path tmp)
      throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Path repo = hugeFunctionRepo(tmp);
      Map<String, String> env = E2e.env(t, tmp.resolve("home"));
      assertThat(E2e.run(env, "index", repo.toString()).code()).isZero();

      E2e.Result planned = E2e.run(env, "plan", repo.toString(), "--json");
      assertThat(planned.code()).as(planned.err()).isZero();
      JsonNode plan = Printer.JSON.readTree(planned.out());
      JsonNode job = plan.path("batches").get(0);
      assertThat(job.path("whole_job_tokens").asInt())
          .as("the whole span does not fit a default worker")
          .isGreaterThan(JobSizing.DEFAULT_CONTEXT_TOKENS);
      assertThat(job.path("job_tokens").asInt()).isEqualTo(JobSizing.DEFAULT_CONTEXT_TOKENS);
      assertThat(plan.path("oversize")).as("nothing waits for a larger worker").isEmpty();
      assertThat(plan.path("cut")).hasSize(1);
      assertThat(plan.path("cut").get(0).path("cut_to_tokens").asInt())
          .isEqualTo(JobSizing.codeBudget(JobSizing.DEFAULT_CONTEXT_TOKENS, 1));
      E2e.Result text = E2e.run(env, "plan", repo.toString());
      assertThat(text.out())
          .contains("every job fits the fleet")
          .contains("1 span is larger than a default worker; it runs with its code cut to fit")
          .contains("big.py:1-")
          .contains("runs with its code cut to 7200 of");

      E2e.Result up =
          E2e.run(
              env,
              "up",
              repo.toString(),
              "--until-done",
              "--no-dashboard",
              "--json",
              "--backend",
              "embedded");
      assertThat(up.code()).as(up.err()).isZero();
      assertThat(count(t.database(), "select count(*) from llm_calls"))
          .as("a default worker took the job and called the model")
          .isPositive();
      assertThat(count(t.database(), "select count(*) from jobs where status = 'enqueued'"))
          .as("nothing left waiting")
          .isZero();
      long enriched = count(t.database(), "select count(*) from enrichments");
      long failed = count(t.database(), "select count(*) from span_failures");
      assertThat(enriched + failed).as("a note or a recorded failure").isEqualTo(1);
      if (enriched == 1) {
        assertThat(
                count(
                    t.database(), "select count(*) from enrichments where notes like 'code cut%'"))
            .as("the note records that the model saw cut code")
            .isEqualTo(1);
        String where = repo.resolve("big.py") + ":1";
        E2e.Result show = E2e.run(env, "show", where);
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("notes: code cut");
        E2e.Result shown = E2e.run(env, "show", where, "--json");
        assertThat(shown.out()).contains("code cut");
      }
    }
  }

  /** One function of about 1,100 lines: about 9,000 estimated tokens, no docstring. */
  private static Path hugeFunctionRepo(Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    StringBuilder code = new StringBuilder("def run_the_whole_suite(results):\n");
    for (int i = 0; i < 1100; i++) {
      code.append("    results.append(check_value(")
          .append(i)
          .append(", expected=")
          .append(i * 3)
          .append("))\n");
    }
    code.append("    return results\n");
    Files.writeString(repo.resolve("big.py"), code.toString());
    return repo;
  }
}
