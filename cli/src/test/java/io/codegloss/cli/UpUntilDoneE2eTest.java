package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.db.Database;
import io.codegloss.testing.TestDatabase;
import io.codegloss.worker.testing.LlamaServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, end to end with a real model: {@code up --until-done} indexes, enqueues
 * and enriches everything, through the embedded llama.cpp AND through a real OpenAI-compatible
 * server process on 127.0.0.1. Every span ends with a valid enrichment or a recorded failure, and
 * the summary, {@code status} and {@code show} agree with the database.
 */
@Tag("e2e")
class UpUntilDoneE2eTest {

  @Test
  void upUntilDoneOnTheEmbeddedModelLeavesEverySpanEnrichedOrRecordedAsFailed(@TempDir Path tmp)
      throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Path repo = smallRepo(tmp);
      Map<String, String> env = E2e.env(t, tmp.resolve("home"));
      assertEverySpanAccountedFor(t.database(), env, repo, "embedded");
    }
  }

  @Test
  void upUntilDoneThroughARealOpenAiCompatibleServerLeavesEverySpanEnrichedOrRecordedAsFailed(
      @TempDir Path tmp) throws Exception {
    try (TestDatabase t = TestDatabase.fresh();
        LlamaServerProcess server = LlamaServerProcess.start()) {
      // One function: the Python server decodes under the schema grammar far slower than the
      // embedded model, and one call is all this test needs to prove the HTTP path end to end.
      Path repo = oneFunctionRepo(tmp);
      Map<String, String> env = new HashMap<>(E2e.env(t, tmp.resolve("home")));
      env.put("OPENAI_BASE_URL", server.baseUrl());
      assertEverySpanAccountedFor(t.database(), env, repo, "openai");
    }
  }

  private static void assertEverySpanAccountedFor(
      Database db, Map<String, String> env, Path repo, String backend) throws Exception {
    E2e.Result up =
        E2e.run(
            env,
            "up",
            repo.toString(),
            "--until-done",
            "--no-dashboard",
            "--json",
            "--backend",
            backend);
    assertThat(up.code()).as(up.err()).isZero();
    JsonNode summary = Printer.JSON.readTree(up.out());
    long spans = count(db, "select count(*) from spans");
    assertThat(summary.get("spans_total").asLong()).isEqualTo(spans).isPositive();
    assertThat(summary.get("spans_enriched").asLong() + summary.get("spans_failed").asLong())
        .as("every span enriched or recorded as failed")
        .isEqualTo(spans);
    assertThat(summary.get("calls").asLong())
        .isEqualTo(count(db, "select count(*) from llm_calls"))
        .isPositive();
    assertThat(count(db, "select count(*) from llm_calls where backend = ?", backend)).isPositive();
    assertThat(count(db, "select count(*) from jobs where status in ('enqueued', 'processing')"))
        .as("nothing left hanging")
        .isZero();
    assertThat(
            count(
                db,
                "select count(*) from enrichments e join spans s on s.id = e.span_id"
                    + " where e.span_hash <> s.content_hash"))
        .as("no enrichment stored for another version of its span")
        .isZero();

    E2e.Result status = E2e.run(env, "status", "--json");
    assertThat(status.code()).as(status.err()).isZero();
    JsonNode repoStatus = Printer.JSON.readTree(status.out()).get("repositories").get(0);
    assertThat(repoStatus.get("spans").asLong()).isEqualTo(spans);
    assertThat(repoStatus.get("pending").asLong())
        .as("status counts as pending exactly the spans without a current enrichment")
        .isEqualTo(spans - summary.get("spans_enriched").asLong());

    E2e.Result show = E2e.run(env, "show", repo.resolve("app/config.py").toString(), "--json");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("load_config");
  }

  private static Path oneFunctionRepo(Path tmp) throws Exception {
    Path repo = tmp.resolve("one");
    Files.createDirectories(repo.resolve("app"));
    Files.writeString(
        repo.resolve("app/config.py"),
        "import json\n\n\ndef load_config(text):\n"
            + "    \"\"\"Parse a JSON config document.\"\"\"\n"
            + "    return json.loads(text)\n");
    return repo;
  }

  /** Three related functions: one batch when batching works, three singles when it falls back. */
  private static Path smallRepo(Path tmp) throws Exception {
    Path full = E2e.fixtureRepo(tmp);
    Path small = tmp.resolve("small");
    Files.createDirectories(small.resolve("app"));
    Files.copy(full.resolve("app/config.py"), small.resolve("app/config.py"));
    return small;
  }
}
