package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.db.Database;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard in headless Chromium, filled with the rows a running system writes. Saves
 * target/dashboard.png; with -Dcodegloss.docsScreenshot=true also refreshes docs/dashboard.png.
 */
class DashboardBrowserTest extends BrowserTest {

  private TestDatabase testDb;
  private Database db;
  private Seed seed;
  private final List<DashboardServer> servers = new ArrayList<>();

  @BeforeEach
  void freshSystem() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    seed = Seed.into(testDb);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(DashboardServer::stop);
    servers.clear();
    testDb.close();
  }

  private DashboardPage dashboard(String user, String password) {
    DashboardServer server =
        new DashboardServer(
                db, new DashboardSettings(0, 45, "http://localhost:8000", 1, user, password))
            .start(0);
    servers.add(server);
    String credentials = user == null ? "" : user + ":" + password + "@";
    return new DashboardPage(browser, "http://" + credentials + "127.0.0.1:" + server.port());
  }

  @Test
  void anOperatorSeesTheQueueProgressWorkersThroughputSavingsAndFailures() throws Exception {
    RunningSystem system = populateRunningSystem();

    DashboardPage page = dashboard(null, null).open();

    assertThat(page.progressPercent()).isEqualTo("64.7%");
    assertThat(page.progressDetail()).isEqualTo("11 of 17 spans enriched in 2 repositories");
    assertThat(page.repositoryProgress("acme-api")).contains("75.0%").contains("9 / 12 spans");
    assertThat(page.queueCount("acme-api", "batch", "enqueued")).isEqualTo(3);
    assertThat(page.queueCount("acme-api", "batch", "processing")).isEqualTo(2);
    assertThat(page.queueCount("acme-api", "batch", "succeeded")).isEqualTo(6);
    assertThat(page.queueCount("acme-api", "batch", "partial")).isEqualTo(1);
    assertThat(page.queueCount("acme-api", "batch", "split")).isEqualTo(1);
    assertThat(page.queueCount("acme-api", "batch", "tooLarge")).isEqualTo(1);
    assertThat(page.queueCount("acme-api", "single", "enqueued")).isEqualTo(2);
    assertThat(page.queueCount("acme-api", "single", "failed")).isEqualTo(1);
    assertThat(page.queueCount("tools", "batch", "enqueued")).isEqualTo(1);
    assertThat(page.queueCount("*", "batch", "enqueued")).isEqualTo(4);
    assertThat(page.summary("enqueued")).isEqualTo("6");
    assertThat(page.capacityWarning())
        .contains("1 enqueued jobs are larger than every live worker");

    assertThat(page.workerNames()).containsExactly("cpu-small", "gpu-large", "old-laptop");
    assertThat(page.workerStatus("cpu-small")).contains("alive");
    assertThat(page.workerStatus("old-laptop")).contains("dead");
    assertThat(page.workerRow("gpu-large"))
        .contains("16,384")
        .contains("ollama")
        .contains("qwen2.5-coder:7b")
        .contains("1 / 2 · 87 % busy");
    assertThat(page.summary("workers")).isEqualTo("2 (1 dead)");

    assertThat(page.chartPointsWithData("spans")).isGreaterThanOrEqualTo(30);
    assertThat(page.chartPointsWithData("tokens")).isGreaterThanOrEqualTo(30);
    assertThat(page.chartSeries("spans")).isEqualTo(2);
    assertThat(page.chartLegend("spans"))
        .containsExactly("all workers", "cpu-small · gemma3-270m", "gpu-large · qwen2.5-coder:7b");
    assertThat(page.chartLinePixels("spans")).as("the overall line is drawn").isGreaterThan(200);
    assertThat(page.chartLinePixels("tokens")).isGreaterThan(200);

    // batch: 55 + 19 + 1 calls enriched 275 + 76 + 4 spans; single: 11 + 1 calls, 11 spans
    assertThat(page.savings("batch", "calls")).isEqualTo("75");
    assertThat(page.savings("batch", "callsPerSpan")).isEqualTo("0.21");
    assertThat(page.savings("single", "callsPerSpan")).isEqualTo("1.09");
    assertThat(page.savings("ratio", "callsPerSpan")).isEqualTo("0.19×");
    assertThat(page.savingsSentence()).startsWith("Batching saved about");

    assertThat(page.failedCallRows()).hasSize(2);
    assertThat(page.failedCallRows().get(0)).contains("item 2 failed schema validation");
    assertThat(page.failedSpanRows())
        .singleElement()
        .asString()
        .contains("User.validate_email")
        .contains("summary_120w has 180 words");
    assertThat(page.failedJobRows()).singleElement().asString().contains("context overflow");
    assertThat(page.jobLinks())
        .contains("http://localhost:8000/dashboard/jobs/" + system.failedBatch())
        .contains("http://localhost:8000/dashboard/jobs/" + system.failedSingle());

    Path shot = page.screenshot(Path.of("target", "dashboard.png"));
    assertThat(Files.size(shot)).isGreaterThan(20_000);
    if (Boolean.getBoolean("codegloss.docsScreenshot")) {
      Path docs = Path.of(System.getProperty("codegloss.repoRoot", ".."), "docs", "dashboard.png");
      Files.createDirectories(docs.getParent());
      Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void aWorkerAppearsWhenItStartsThenShowsDeadAndDisappearsWhenItsHeartbeatStops() {
    DashboardPage page = dashboard(null, null).open();
    assertThat(page.workerNames()).isEmpty();

    seed.worker("spare-box", w -> w.maxTokens(4096).model("gemma3-270m"));
    page.awaitWorkerStatus("spare-box", "alive");
    assertThat(page.workerRow("spare-box")).contains("spare-box.lan").contains("4,096");

    seed.heartbeat("spare-box", 46);
    page.awaitWorkerStatus("spare-box", "dead");
    assertThat(page.summary("workers")).isEqualTo("0 (1 dead)");

    seed.heartbeat("spare-box", 2 * 3600);
    page.awaitWorkerGone("spare-box");
    assertThat(browser.getCurrentUrl()).as("no reload happened").endsWith("/");
  }

  @Test
  void newWorkShowsUpWithoutReloadingThePage() {
    long repo = seed.repo("/srv/acme-api").repoId();
    seed.inRepo(repo).job("batch", "enqueued", 1500);
    DashboardPage page = dashboard(null, null).open();
    assertThat(page.queueCount("acme-api", "batch", "enqueued")).isEqualTo(1);
    Object marker =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript("window.__sameDocument = 42; return window.__sameDocument;");

    seed.inRepo(repo).job("batch", "enqueued", 1500);
    seed.inRepo(repo).job("batch", "processing", 1500);
    seed.call(call -> call.worker("w").model("m").batch(4).tokens(900, 400).wallMs(5000));

    page.await("two enqueued jobs", p -> p.queueCount("acme-api", "batch", "enqueued") == 2);
    page.await("a point in the chart", p -> p.chartPointsWithData("spans") == 1);
    assertThat(page.queueCount("acme-api", "batch", "processing")).isEqualTo(1);
    assertThat(
            ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return window.__sameDocument;"))
        .isEqualTo(marker);
  }

  @Test
  void withAPasswordABrowserWithoutItSeesNoDashboardAndOneWithItSeesItLive() {
    long repo = seed.repo("/srv/secret-repo").repoId();
    seed.inRepo(repo).job("batch", "enqueued", 1000);
    DashboardPage withPassword = dashboard("ops", "s3cret-Pa55");
    int port = servers.get(0).port();

    browser.get("http://127.0.0.1:" + port + "/");
    assertThat(browser.findElements(By.id("queue-table"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain("secret-repo");
    browser.get("http://ops:wrong@127.0.0.1:" + port + "/");
    assertThat(browser.findElements(By.id("queue-table"))).isEmpty();

    withPassword.open();
    assertThat(withPassword.queueCount("secret-repo", "batch", "enqueued")).isEqualTo(1);
    seed.inRepo(repo).job("batch", "enqueued", 1000);
    withPassword.await(
        "the event stream to deliver behind basic auth",
        p -> p.queueCount("secret-repo", "batch", "enqueued") == 2);
    assertThat(withPassword.liveStatus()).isEqualTo("live");
  }

  private record RunningSystem(UUID failedBatch, UUID failedSingle) {}

  /** What a scheduler, three workers and an hour of LLM calls leave in the database. */
  private RunningSystem populateRunningSystem() {
    long api = seed.repo("/srv/acme-api").repoId();
    long tools = seed.repo("/srv/tools").repoId();
    long apiFile = seed.inRepo(api).file("src/users/models.py").fileId();
    long toolsFile = seed.inRepo(tools).file("bin/release.py").fileId();
    List<Long> apiSpans = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      apiSpans.add(
          seed.inFile(apiFile)
              .span(i == 11 ? "User.validate_email" : "User.m" + i, 1 + 12 * i, 10 + 12 * i)
              .spanId());
    }
    for (int i = 0; i < 9; i++) {
      String mode = i < 7 ? "batch" : "single";
      seed.enrichment(apiSpans.get(i), e -> e.mode(mode));
    }
    for (int i = 0; i < 5; i++) {
      long s = seed.inFile(toolsFile).span("release_step_" + i, 1 + 12 * i, 10 + 12 * i).spanId();
      if (i < 2) {
        seed.enrichment(s, e -> e.mode("batch"));
      }
    }

    for (int i = 0; i < 6; i++) {
      seed.inRepo(api).job("batch", "succeeded", 1800);
    }
    seed.inRepo(api).job("batch", "partial", 1900);
    UUID split = seed.inRepo(api).job("batch", "split", 1950).jobId();
    seed.jobSpan(split, apiSpans.get(11), 3);
    seed.inRepo(api).job("batch", "enqueued", 1700);
    seed.inRepo(api).job("batch", "enqueued", 3900);
    seed.inRepo(api).job("batch", "enqueued", 18000);
    seed.inRepo(api).job(j -> j.tokens(3000).processingOn("cpu-small"));
    seed.inRepo(api).job(j -> j.tokens(12000).processingOn("gpu-large"));
    seed.inRepo(api).job("single", "enqueued", 600);
    UUID single =
        seed.job(
                j ->
                    j.kind("single")
                        .tokens(650)
                        .failed("context overflow: prompt 4400 tokens > worker limit 4096", 3)
                        .spans(apiSpans.get(11)))
            .jobId();
    seed.inRepo(api).job("single", "enqueued", 700);
    seed.inRepo(tools).job("batch", "enqueued", 1200);

    seed.worker("cpu-small", w -> w.maxTokens(4096).model("gemma3-270m").currentJobs(1));
    seed.worker(
        "gpu-large",
        w ->
            w.maxTokens(16384)
                .concurrency(2)
                .backend("ollama")
                .model("qwen2.5-coder:7b")
                .currentJobs(2)
                .currentCalls(1)
                .callsBusyPercent(87));
    seed.worker("old-laptop", w -> w.maxTokens(32768).model("gemma3-270m"));
    seed.heartbeat("cpu-small", 3);
    seed.heartbeat("gpu-large", 1);
    seed.heartbeat("old-laptop", 300);

    // An hour of work: the GPU box does batches of 5 every minute, the CPU box slower ones.
    for (int minute = 0; minute < 55; minute++) {
      int ago = minute * 60 + 5;
      int m = minute;
      seed.call(
          call ->
              call.worker("gpu-large")
                  .model("qwen2.5-coder:7b")
                  .batch(5)
                  .tokens(1500 + 37 * (m % 7), 700 + 23 * (m % 5))
                  .wallMs(4000 + 100 * (m % 3))
                  .secondsAgo(ago));
      if (minute % 3 == 0) {
        seed.call(
            call ->
                call.worker("cpu-small")
                    .model("gemma3-270m")
                    .batch(4)
                    .tokens(1100, 500)
                    .wallMs(30000)
                    .secondsAgo(ago + 20));
      }
      if (minute % 5 == 0) {
        seed.call(
            call ->
                call.worker("cpu-small")
                    .model("gemma3-270m")
                    .tokens(350, 160)
                    .wallMs(9000)
                    .secondsAgo(ago + 40));
      }
    }
    seed.call(
        call ->
            call.job(split)
                .worker("gpu-large")
                .model("qwen2.5-coder:7b")
                .batch(5)
                .valid(4)
                .tokens(1500, 700)
                .wallMs(4500)
                .outcome("partial")
                .error("item 2 failed schema validation: related_spans must be an array")
                .secondsAgo(30));
    seed.call(
        call ->
            call.job(single)
                .worker("cpu-small")
                .model("gemma3-270m")
                .tokens(4400, 0)
                .wallMs(200)
                .failed("context overflow: prompt 4400 tokens > worker limit 4096")
                .secondsAgo(90));
    seed.failure(
        apiSpans.get(11), f -> f.attempts(2).error("summary_120w has 180 words (at most 120)"));
    return new RunningSystem(split, single);
  }
}
