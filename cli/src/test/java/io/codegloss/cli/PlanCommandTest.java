package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.testing.TestDatabase;
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
}
