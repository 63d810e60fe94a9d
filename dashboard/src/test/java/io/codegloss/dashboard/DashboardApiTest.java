package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import io.codegloss.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardApiTest {

  private TestDatabase testDb;
  private Database db;
  private ClusterState cluster;
  private DashboardServer server;
  private Http http;

  @BeforeEach
  void start() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    cluster = new ClusterState(db);
    server =
        new DashboardServer(
                db, new DashboardSettings(0, 45, "http://jobrunr.test:8000", 1, null, null))
            .start(0);
    http = new Http(server.port());
  }

  @AfterEach
  void stop() {
    server.stop();
    testDb.close();
  }

  @Test
  void theQueueCountsJobsPerRepositoryKindAndState() {
    long app = cluster.repository("app");
    long lib = cluster.repository("lib");
    cluster.job(app, "batch", "enqueued", 1000);
    cluster.job(app, "batch", "enqueued", 1200);
    cluster.job(app, "batch", "processing", 900);
    cluster.job(app, "batch", "split", 1500);
    cluster.job(app, "single", "enqueued", 300);
    cluster.job(app, "single", "failed", 300);
    cluster.job(lib, "batch", "succeeded", 800);
    cluster.job(lib, "batch", "partial", 800);

    JsonNode q = http.json("/api/queue");

    JsonNode appRow = repo(q, "app");
    assertThat(appRow.at("/batch/enqueued").asLong()).isEqualTo(2);
    assertThat(appRow.at("/batch/processing").asLong()).isEqualTo(1);
    assertThat(appRow.at("/batch/split").asLong()).isEqualTo(1);
    assertThat(appRow.at("/single/enqueued").asLong()).isEqualTo(1);
    assertThat(appRow.at("/single/failed").asLong()).isEqualTo(1);
    assertThat(appRow.at("/pendingTokens").asLong()).isEqualTo(1000 + 1200 + 900 + 300);
    JsonNode libRow = repo(q, "lib");
    assertThat(libRow.at("/batch/succeeded").asLong()).isEqualTo(1);
    assertThat(libRow.at("/batch/partial").asLong()).isEqualTo(1);
    assertThat(q.at("/all/enqueued").asLong()).isEqualTo(3);
    assertThat(http.json("/api/summary").at("/jobs/failed").asLong()).isEqualTo(1);
  }

  @Test
  void enqueuedJobsBiggerThanEveryLiveWorkerAreCountedAsTooLarge() {
    long app = cluster.repository("app");
    cluster.job(app, "batch", "enqueued", 3000);
    cluster.job(app, "batch", "enqueued", 6000);
    cluster.job(app, "batch", "enqueued", 20000);
    cluster.job(app, "batch", "processing", 20000);
    cluster.worker("small", 4096, 1, "llama", "gemma3-270m", 0);
    cluster.worker("large", 16384, 2, "ollama", "qwen2.5-coder", 0);
    cluster.worker("huge-but-dead", 65536, 4, "ollama", "qwen2.5-coder", 0);
    cluster.heartbeat("huge-but-dead", 120);

    JsonNode q = http.json("/api/queue");
    assertThat(q.get("maxLiveWorkerTokens").asInt()).isEqualTo(16384);
    assertThat(q.at("/batch/tooLarge").asLong()).isEqualTo(1);

    cluster.heartbeat("large", 120);
    JsonNode afterLargeDied = http.json("/api/queue");
    assertThat(afterLargeDied.get("maxLiveWorkerTokens").asInt()).isEqualTo(4096);
    assertThat(afterLargeDied.at("/batch/tooLarge").asLong()).isEqualTo(2);
  }

  @Test
  void progressCountsOnlySpansWhoseEnrichmentMatchesTheirCurrentCode() {
    long app = cluster.repository("app");
    long file = cluster.file(app, "src/util.py");
    long a = cluster.span(app, file, "parse_json", 1);
    long b = cluster.span(app, file, "validate_json", 20);
    long c = cluster.span(app, file, "load_config", 40);
    cluster.span(app, file, "main", 60);
    cluster.enrich(a, "batch");
    cluster.enrich(b, "batch");
    cluster.enrich(c, "single");

    assertThat(http.json("/api/summary").get("progress").asDouble()).isCloseTo(0.75, within(1e-9));

    cluster.editSpan(c);

    JsonNode summary = http.json("/api/summary");
    assertThat(summary.get("enrichedSpans").asLong()).isEqualTo(2);
    assertThat(summary.get("spans").asLong()).isEqualTo(4);
    assertThat(repo(http.json("/api/queue"), "app").get("progress").asDouble())
        .isCloseTo(0.5, within(1e-9));
  }

  @Test
  void throughputIsBucketedPerMinuteOverallAndPerWorkerAndModel() {
    cluster.llmCall(null, "small", "gemma3-270m", "batch", 5, 5, 900, 600, 8000, "ok", null, 0);
    cluster.llmCall(null, "large", "qwen", "batch", 4, 4, 1000, 200, 3000, "ok", null, 1);
    cluster.llmCall(null, "large", "qwen", "single", 1, 1, 300, 300, 1000, "ok", null, 600);
    cluster.llmCall(null, "large", "qwen", "single", 1, 1, 300, 300, 1000, "ok", null, 7200);

    JsonNode t = http.json("/api/throughput?minutes=60");

    JsonNode overall = t.get("overall");
    assertThat(overall).hasSize(60);
    long spans = 0;
    long tokens = 0;
    for (JsonNode p : overall) {
      spans += p.get("spans").asLong();
      tokens += p.get("tokens").asLong();
    }
    assertThat(spans).as("the call two hours ago is outside the window").isEqualTo(10);
    assertThat(tokens).isEqualTo(1500 + 1200 + 600);
    JsonNode recent = overall.get(59).get("spans").asLong() > 0 ? overall.get(59) : overall.get(58);
    assertThat(recent.get("tokensPerSecond").asDouble())
        .isCloseTo(recent.get("tokens").asDouble() / 60, within(1e-9));
    assertThat(t.get("series"))
        .extracting(s -> s.get("worker").asText() + "/" + s.get("model").asText())
        .containsExactly("large/qwen", "small/gemma3-270m");
    assertThat(t.get("series").get(1).get("spans").asLong()).isEqualTo(5);
    assertThat(http.get("/api/throughput?minutes=0").statusCode()).isEqualTo(400);
  }

  @Test
  void savingsCompareWhatASpanCostsInBatchAndInSingleMode() {
    // 2 batch calls enrich 10 spans; 4 single calls (one failed) enrich 3 spans.
    cluster.llmCall(null, "w", "m", "batch", 5, 5, 1500, 900, 6000, "ok", null, 10);
    cluster.llmCall(null, "w", "m", "batch", 5, 5, 1500, 900, 6000, "ok", null, 10);
    cluster.llmCall(null, "w", "m", "single", 1, 1, 400, 200, 3000, "ok", null, 10);
    cluster.llmCall(null, "w", "m", "single", 1, 1, 400, 200, 3000, "ok", null, 10);
    cluster.llmCall(null, "w", "m", "single", 1, 1, 400, 200, 3000, "ok", null, 10);
    cluster.llmCall(null, "w", "m", "single", 1, 0, 400, 0, 3000, "error", "timeout", 10);

    JsonNode s = http.json("/api/savings");

    assertThat(s.at("/batch/callsPerSpan").asDouble()).isCloseTo(0.2, within(1e-9));
    assertThat(s.at("/single/callsPerSpan").asDouble()).isCloseTo(4 / 3.0, within(1e-9));
    assertThat(s.at("/batch/tokensPerSpan").asDouble()).isCloseTo(480, within(1e-9));
    assertThat(s.at("/single/tokensPerSpan").asDouble()).isCloseTo(2200 / 3.0, within(1e-9));
    assertThat(s.at("/batch/secondsPerSpan").asDouble()).isCloseTo(1.2, within(1e-9));
    assertThat(s.at("/single/secondsPerSpan").asDouble()).isCloseTo(4.0, within(1e-9));
    assertThat(s.at("/single/failedCalls").asLong()).isEqualTo(1);
    assertThat(s.get("callsRatio").asDouble()).isCloseTo(0.15, within(1e-9));
    assertThat(s.get("callsSaved").asLong())
        .as("10 spans at 4/3 calls each, minus 2")
        .isEqualTo(11);
  }

  @Test
  void failuresShowTheErrorAndLinkToTheJobRunrJobPage() {
    long app = cluster.repository("app");
    long file = cluster.file(app, "src/util.py");
    long span = cluster.span(app, file, "User.set_email", 10);
    UUID batch = cluster.job(app, "batch", "split", 1500);
    cluster.jobSpan(batch, span, 1);
    UUID single = cluster.job(app, "single", "enqueued", 400);
    cluster.jobSpan(single, span, 1);
    cluster.failJob(single, "context overflow: 5000 > 4096 tokens");
    cluster.llmCall(
        batch, "w1", "m", "batch", 3, 2, 900, 300, 4000, "partial", "item 3 invalid", 5);
    cluster.llmCall(null, "w1", "m", "single", 1, 1, 90, 30, 400, "ok", null, 5);
    cluster.spanFailure(span, 2, "summary_120w has 180 words", false);

    JsonNode f = http.json("/api/failures");

    assertThat(f.get("calls")).hasSize(1);
    assertThat(f.at("/calls/0/error").asText()).isEqualTo("item 3 invalid");
    assertThat(f.at("/calls/0/jobUrl").asText())
        .isEqualTo("http://jobrunr.test:8000/dashboard/jobs/" + batch);
    assertThat(f.at("/spans/0/symbol").asText()).isEqualTo("User.set_email");
    assertThat(f.at("/spans/0/error").asText()).isEqualTo("summary_120w has 180 words");
    assertThat(f.at("/spans/0/path").asText()).isEqualTo("src/util.py");
    assertThat(f.at("/spans/0/jobUrl").asText()).endsWith("/dashboard/jobs/" + single);
    assertThat(f.at("/jobs/0/error").asText()).contains("context overflow");
  }

  @Test
  void aWorkerSilentLongerThanTheDeadThresholdIsDeadAndAStoppedOneIsStopped() {
    cluster.worker("cpu-1", 4096, 1, "llama", "gemma3-270m", 1);
    cluster.worker("gpu-1", 16384, 2, "ollama", "qwen", 2);
    cluster.worker("old", 2048, 1, "llama", "gemma3-270m", 0);
    cluster.worker("gone", 2048, 1, "llama", "gemma3-270m", 0);
    cluster.workerState("old", "stopped");
    cluster.heartbeat("gpu-1", 46);
    cluster.heartbeat("gone", 7200);
    long app = cluster.repository("app");
    UUID held = cluster.job(app, "batch", "enqueued", 900);
    cluster.assign(held, "cpu-1");

    JsonNode w = http.json("/api/workers");

    assertThat(w.get("workers"))
        .extracting(x -> x.get("name").asText() + "=" + x.get("status").asText())
        .containsExactly("cpu-1=alive", "gpu-1=dead", "old=stopped");
    assertThat(w.at("/workers/0/processingJobs/0").asText()).isEqualTo(held.toString());
    assertThat(w.at("/workers/0/maxTokens").asInt()).isEqualTo(4096);
    JsonNode summary = http.json("/api/summary");
    assertThat(summary.get("workersAlive").asLong()).isEqualTo(1);
    assertThat(summary.get("workersDead").asLong()).isEqualTo(2);
  }

  @Test
  void theEventStreamPushesANewSnapshotWhenTheDatabaseChanges() throws Exception {
    HttpResponse<InputStream> stream =
        http.client()
            .send(
                http.request("/api/events").header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      JsonNode first = json.readTree(nextSnapshot(in));
      assertThat(first.at("/summary/repositories").asLong()).isZero();

      cluster.repository("fresh");

      CompletableFuture<Long> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  while (true) {
                    JsonNode s = json.readTree(nextSnapshot(in));
                    if (s.at("/summary/repositories").asLong() == 1) {
                      return s.at("/summary/repositories").asLong();
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(seen.get(15, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(server.openPages()).isEqualTo(1);
    }
  }

  @Test
  void theDashboardOffersNoWayToChangeAnything() {
    long app = cluster.repository("app");
    cluster.job(app, "batch", "failed", 1000);

    for (String path : List.of("/api/queue", "/api/failures", "/api/workers", "/api/jobs/retry")) {
      assertThat(http.post(path).statusCode()).as(path).isIn(404, 405);
    }
    assertThat(http.json("/api/summary").at("/jobs/failed").asLong()).isEqualTo(1);
  }

  @Test
  void thePageAndItsAssetsAreServedFromTheJarWithoutReferencesToOtherHosts() {
    HttpResponse<String> page = http.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    List<String> bodies = new ArrayList<>(List.of(page.body()));
    for (String asset : List.of("/assets/dashboard.js", "/assets/dashboard.css")) {
      HttpResponse<String> r = http.get(asset);
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      bodies.add(r.body());
    }
    for (String body : bodies) {
      assertThat(body).doesNotContainPattern("(src|href)=\"https?://").doesNotContain("cdn");
    }
  }

  @Test
  void aPortInUseIsReportedAsSuchAndNothingIsLeftRunning() {
    DashboardServer second = new DashboardServer(db, DashboardSettings.defaults());

    assertThatThrownBy(() -> second.start(server.port()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("port " + server.port())
        .hasMessageContaining("in use");
    assertThat(http.get("/api/summary").statusCode()).isEqualTo(200);
  }

  private static String nextSnapshot(BufferedReader in) throws java.io.IOException {
    String event = null;
    StringBuilder data = new StringBuilder();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      } else if (line.isEmpty() && event != null) {
        if (event.equals("snapshot")) {
          return data.toString();
        }
        event = null;
        data.setLength(0);
      }
    }
    throw new java.io.EOFException("event stream closed");
  }

  private static JsonNode repo(JsonNode queue, String name) {
    for (JsonNode r : queue.get("repositories")) {
      if (r.get("name").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no repository " + name + " in " + queue);
  }
}
