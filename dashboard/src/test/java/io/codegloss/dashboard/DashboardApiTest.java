package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.error.PermanentException;
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
import org.junit.jupiter.api.Test;

class DashboardApiTest extends SeededDashboardTest {

  @Test
  void theQueueCountsJobsPerRepositoryKindAndState() {
    long app = seed.repo("/srv/app").repoId();
    long lib = seed.repo("/srv/lib").repoId();
    seed.inRepo(app).job("batch", "enqueued", 1000);
    seed.inRepo(app).job("batch", "enqueued", 1200);
    seed.inRepo(app).job("batch", "processing", 900);
    seed.inRepo(app).job("batch", "split", 1500);
    seed.inRepo(app).job("single", "enqueued", 300);
    seed.inRepo(app).job("single", "failed", 300);
    seed.inRepo(lib).job("batch", "succeeded", 800);
    seed.inRepo(lib).job("batch", "partial", 800);

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
    long app = seed.repo("/srv/app").repoId();
    seed.inRepo(app).job("batch", "enqueued", 3000);
    seed.inRepo(app).job("batch", "enqueued", 6000);
    seed.inRepo(app).job("batch", "enqueued", 20000);
    seed.inRepo(app).job("batch", "processing", 20000);
    seed.worker("small", w -> w.maxTokens(4096).model("gemma3-270m"));
    seed.worker(
        "large", w -> w.maxTokens(16384).concurrency(2).backend("ollama").model("qwen2.5-coder"));
    seed.worker(
        "huge-but-dead",
        w -> w.maxTokens(65536).concurrency(4).backend("ollama").model("qwen2.5-coder"));
    seed.heartbeat("huge-but-dead", 120);

    JsonNode q = http.json("/api/queue");
    assertThat(q.get("maxLiveWorkerTokens").asInt()).isEqualTo(16384);
    assertThat(q.at("/batch/tooLarge").asLong()).isEqualTo(1);

    seed.heartbeat("large", 120);
    JsonNode afterLargeDied = http.json("/api/queue");
    assertThat(afterLargeDied.get("maxLiveWorkerTokens").asInt()).isEqualTo(4096);
    assertThat(afterLargeDied.at("/batch/tooLarge").asLong()).isEqualTo(2);
  }

  @Test
  void progressCountsOnlySpansWhoseEnrichmentMatchesTheirCurrentCode() {
    long app = seed.repo("/srv/app").repoId();
    long file = seed.inRepo(app).file("src/util.py").fileId();
    long a = seed.inFile(file).span("parse_json", 1, 10).spanId();
    long b = seed.inFile(file).span("validate_json", 20, 29).spanId();
    long c = seed.inFile(file).span("load_config", 40, 49).spanId();
    seed.inFile(file).span("main", 60, 69);
    seed.enrichment(a, e -> e.mode("batch"));
    seed.enrichment(b, e -> e.mode("batch"));
    seed.enrichment(c, e -> e.mode("single"));

    assertThat(http.json("/api/summary").get("progress").asDouble()).isCloseTo(0.75, within(1e-9));

    seed.editSpan(c);

    JsonNode summary = http.json("/api/summary");
    assertThat(summary.get("enrichedSpans").asLong()).isEqualTo(2);
    assertThat(summary.get("spans").asLong()).isEqualTo(4);
    assertThat(repo(http.json("/api/queue"), "app").get("progress").asDouble())
        .isCloseTo(0.5, within(1e-9));
  }

  @Test
  void throughputIsBucketedPerMinuteOverallAndPerWorkerAndModel() {
    seed.call(
        call -> call.worker("small").model("gemma3-270m").batch(5).tokens(900, 600).wallMs(8000));
    seed.call(
        call ->
            call.worker("large")
                .model("qwen")
                .batch(4)
                .tokens(1000, 200)
                .wallMs(3000)
                .secondsAgo(1));
    seed.call(
        call -> call.worker("large").model("qwen").tokens(300, 300).wallMs(1000).secondsAgo(600));
    seed.call(
        call -> call.worker("large").model("qwen").tokens(300, 300).wallMs(1000).secondsAgo(7200));

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
  void theSummaryCountsTheSecretsRedactedFromEveryPrompt() {
    seed.call(call -> call.worker("w").model("m").batch(3).secretsRedacted(2));
    seed.call(call -> call.worker("w").model("m").secretsRedacted(1).failed("timeout"));
    seed.call(call -> call.worker("w").model("m"));

    assertThat(http.json("/api/summary").get("secretsRedacted").asLong()).isEqualTo(3);
  }

  @Test
  void savingsCompareWhatASpanCostsInBatchAndInSingleMode() {
    // 2 batch calls enrich 10 spans; 4 single calls (one failed) enrich 3 spans.
    seed.call(
        call -> call.worker("w").model("m").batch(5).tokens(1500, 900).wallMs(6000).secondsAgo(10));
    seed.call(
        call -> call.worker("w").model("m").batch(5).tokens(1500, 900).wallMs(6000).secondsAgo(10));
    seed.call(call -> call.worker("w").model("m").tokens(400, 200).wallMs(3000).secondsAgo(10));
    seed.call(call -> call.worker("w").model("m").tokens(400, 200).wallMs(3000).secondsAgo(10));
    seed.call(call -> call.worker("w").model("m").tokens(400, 200).wallMs(3000).secondsAgo(10));
    seed.call(
        call ->
            call.worker("w")
                .model("m")
                .tokens(400, 0)
                .wallMs(3000)
                .failed("timeout")
                .secondsAgo(10));

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
    long app = seed.repo("/srv/app").repoId();
    long file = seed.inRepo(app).file("src/util.py").fileId();
    long span = seed.inFile(file).span("User.set_email", 10, 19).spanId();
    UUID batch = seed.inRepo(app).job("batch", "split", 1500).jobId();
    seed.jobSpan(batch, span, 1);
    UUID single =
        seed.job(
                j ->
                    j.kind("single")
                        .tokens(400)
                        .failed("context overflow: 5000 > 4096 tokens", 3)
                        .spans(span))
            .jobId();
    seed.call(
        call ->
            call.job(batch)
                .worker("w1")
                .model("m")
                .batch(3)
                .valid(2)
                .tokens(900, 300)
                .wallMs(4000)
                .outcome("partial")
                .error("item 3 invalid")
                .secondsAgo(5));
    seed.call(call -> call.worker("w1").model("m").tokens(90, 30).wallMs(400).secondsAgo(5));
    seed.failure(span, f -> f.attempts(2).error("summary_120w has 180 words"));

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
    seed.worker("cpu-1", w -> w.maxTokens(4096).model("gemma3-270m").currentJobs(1));
    seed.worker(
        "gpu-1",
        w ->
            w.maxTokens(16384)
                .concurrency(2)
                .backend("ollama")
                .model("qwen")
                .currentJobs(3)
                .currentCalls(2)
                .callsBusyPercent(93));
    seed.worker("old", w -> w.maxTokens(2048).model("gemma3-270m"));
    seed.worker("gone", w -> w.maxTokens(2048).model("gemma3-270m"));
    seed.workerState("old", "stopped");
    seed.heartbeat("gpu-1", 46);
    seed.heartbeat("gone", 7200);
    long app = seed.repo("/srv/app").repoId();
    UUID held = seed.inRepo(app).job(j -> j.tokens(900).processingOn("cpu-1")).jobId();

    JsonNode w = http.json("/api/workers");

    assertThat(w.get("workers"))
        .extracting(x -> x.get("name").asText() + "=" + x.get("status").asText())
        .containsExactly("cpu-1=alive", "gpu-1=dead", "old=stopped");
    assertThat(w.at("/workers/0/processingJobs/0").asText()).isEqualTo(held.toString());
    assertThat(w.at("/workers/0/maxTokens").asInt()).isEqualTo(4096);
    assertThat(w.at("/workers/1/currentJobs").asInt()).isEqualTo(3);
    assertThat(w.at("/workers/1/currentCalls").asInt()).isEqualTo(2);
    assertThat(w.at("/workers/1/callsBusyPercent").asInt()).isEqualTo(93);
    assertThat(w.at("/workers/0/callsBusyPercent").isNull()).as("not reported yet").isTrue();
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

      seed.repo("/srv/fresh");

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
    long app = seed.repo("/srv/app").repoId();
    seed.inRepo(app).job("batch", "failed", 1000);

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
