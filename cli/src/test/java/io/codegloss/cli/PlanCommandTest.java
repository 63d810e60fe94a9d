package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `plan` with the documented batching flags, on a real database. */
class PlanCommandTest {

  @Test
  void batchOffPlansOneSpanPerJob(@TempDir Path tmp) throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Map<String, String> env = new HashMap<>(t.childEnvironment());
      env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
      Path repo = E2e.fixtureRepo(tmp);
      E2e.Result index = E2e.run(env, "index", repo.toString(), "--json");
      assertThat(index.code()).as(index.err()).isZero();

      E2e.Result batched = E2e.run(env, "plan", repo.toString(), "--json");
      assertThat(batched.code()).as(batched.err()).isZero();
      JsonNode on = Printer.JSON.readTree(batched.out()).path("batches");
      assertThat(on.size()).isPositive();

      // was: "unknown flag --batch"
      E2e.Result single = E2e.run(env, "plan", repo.toString(), "--batch", "off", "--json");
      assertThat(single.code()).as(single.err()).isZero();
      JsonNode off = Printer.JSON.readTree(single.out()).path("batches");
      int spans = 0;
      for (JsonNode b : on) {
        spans += b.path("spans").size();
      }
      assertThat(off.size()).as("one job per span").isEqualTo(spans).isGreaterThan(on.size());
      for (JsonNode b : off) {
        assertThat(b.path("spans").size()).isEqualTo(1);
      }
    }
  }

  @Test
  void planListsTheJobsLargerThanEveryLiveWorkerWithTheLimitThatWouldTakeThem(@TempDir Path tmp)
      throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Map<String, String> env = new HashMap<>(t.childEnvironment());
      env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
      Path repo = tmp.resolve("repo");
      Files.createDirectories(repo);
      StringBuilder huge = new StringBuilder("def huge(x):\n");
      for (int i = 0; i < 400; i++) {
        huge.append("    x = x + compute_something_long_named(x, ").append(i).append(")\n");
      }
      huge.append("    return x\n\n\ndef small(y):\n    return y\n");
      Files.writeString(repo.resolve("big.py"), huge.toString());
      assertThat(E2e.run(env, "index", repo.toString()).code()).isZero();
      Seed.into(t).worker("laptop", w -> w.maxTokens(4096));

      E2e.Result json = E2e.run(env, "plan", repo.toString(), "--json");
      assertThat(json.code()).as(json.err()).isZero();
      JsonNode plan = Printer.JSON.readTree(json.out());
      assertThat(plan.path("fleet").path("live_workers").asInt()).isEqualTo(1);
      assertThat(plan.path("fleet").path("largest_max_tokens").asInt()).isEqualTo(4096);
      JsonNode oversize = plan.path("oversize");
      assertThat(oversize.size()).as("only the huge function").isEqualTo(1);
      JsonNode o = oversize.get(0);
      assertThat(o.path("symbols").get(0).asText()).isEqualTo("huge");
      assertThat(o.path("min_max_tokens").asInt())
          .isEqualTo(o.path("job_tokens").asInt())
          .isGreaterThan(4096);
      assertThat(o.path("whole_max_tokens").asInt())
          .as("it fits a default worker, so it is enqueued whole and runs whole")
          .isEqualTo(o.path("job_tokens").asInt())
          .isLessThan(8192);
      assertThat(o.path("cut_to_tokens").isNull()).isTrue();
      assertThat(plan.path("cut")).as("nothing runs cut on this fleet").isEmpty();

      E2e.Result text = E2e.run(env, "plan", repo.toString());
      assertThat(text.code()).as(text.err()).isZero();
      assertThat(text.out())
          .contains("1 job is larger than every live worker's limit")
          .contains("big.py:1-402 single huge")
          .contains("needs --max-tokens " + o.path("job_tokens").asInt())
          .contains("; it runs whole there");
    }
  }
}
