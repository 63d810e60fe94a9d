package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.db.Database;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard in headless Chromium, filled with the rows a running system writes. Saves
 * target/dashboard.png; with -Dcodegloss.docsScreenshot=true also refreshes docs/dashboard.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

  private WebDriver browser;
  private TestDatabase testDb;
  private Database db;
  private ClusterState cluster;
  private final List<DashboardServer> servers = new ArrayList<>();

  @BeforeAll
  void startBrowser() {
    browser = HeadlessChromium.start();
  }

  @AfterAll
  void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void freshSystem() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    cluster = new ClusterState(db);
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
        .contains("qwen2.5-coder:7b");
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

    cluster.worker("spare-box", 4096, 1, "llama", "gemma3-270m", 0);
    page.awaitWorkerStatus("spare-box", "alive");
    assertThat(page.workerRow("spare-box")).contains("spare-box.lan").contains("4,096");

    cluster.heartbeat("spare-box", 46);
    page.awaitWorkerStatus("spare-box", "dead");
    assertThat(page.summary("workers")).isEqualTo("0 (1 dead)");

    cluster.heartbeat("spare-box", 2 * 3600);
    page.awaitWorkerGone("spare-box");
    assertThat(browser.getCurrentUrl()).as("no reload happened").endsWith("/");
  }

  @Test
  void newWorkShowsUpWithoutReloadingThePage() {
    long repo = cluster.repository("acme-api");
    cluster.job(repo, "batch", "enqueued", 1500);
    DashboardPage page = dashboard(null, null).open();
    assertThat(page.queueCount("acme-api", "batch", "enqueued")).isEqualTo(1);
    Object marker =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript("window.__sameDocument = 42; return window.__sameDocument;");

    cluster.job(repo, "batch", "enqueued", 1500);
    cluster.job(repo, "batch", "processing", 1500);
    cluster.llmCall(null, "w", "m", "batch", 4, 4, 900, 400, 5000, "ok", null, 0);

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
    long repo = cluster.repository("secret-repo");
    cluster.job(repo, "batch", "enqueued", 1000);
    DashboardPage withPassword = dashboard("ops", "s3cret-Pa55");
    int port = servers.get(0).port();

    browser.get("http://127.0.0.1:" + port + "/");
    assertThat(browser.findElements(By.id("queue-table"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain("secret-repo");
    browser.get("http://ops:wrong@127.0.0.1:" + port + "/");
    assertThat(browser.findElements(By.id("queue-table"))).isEmpty();

    withPassword.open();
    assertThat(withPassword.queueCount("secret-repo", "batch", "enqueued")).isEqualTo(1);
    cluster.job(repo, "batch", "enqueued", 1000);
    withPassword.await(
        "the event stream to deliver behind basic auth",
        p -> p.queueCount("secret-repo", "batch", "enqueued") == 2);
    assertThat(withPassword.liveStatus()).isEqualTo("live");
  }

  private record RunningSystem(UUID failedBatch, UUID failedSingle) {}

  /** What a scheduler, three workers and an hour of LLM calls leave in the database. */
  private RunningSystem populateRunningSystem() {
    long api = cluster.repository("acme-api");
    long tools = cluster.repository("tools");
    long apiFile = cluster.file(api, "src/users/models.py");
    long toolsFile = cluster.file(tools, "bin/release.py");
    List<Long> apiSpans = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      apiSpans.add(
          cluster.span(api, apiFile, i == 11 ? "User.validate_email" : "User.m" + i, 1 + 12 * i));
    }
    for (int i = 0; i < 9; i++) {
      cluster.enrich(apiSpans.get(i), i < 7 ? "batch" : "single");
    }
    for (int i = 0; i < 5; i++) {
      long s = cluster.span(tools, toolsFile, "release_step_" + i, 1 + 12 * i);
      if (i < 2) {
        cluster.enrich(s, "batch");
      }
    }

    for (int i = 0; i < 6; i++) {
      cluster.job(api, "batch", "succeeded", 1800);
    }
    cluster.job(api, "batch", "partial", 1900);
    UUID split = cluster.job(api, "batch", "split", 1950);
    cluster.jobSpan(split, apiSpans.get(11), 3);
    cluster.job(api, "batch", "enqueued", 1700);
    cluster.job(api, "batch", "enqueued", 3900);
    cluster.job(api, "batch", "enqueued", 18000);
    UUID held1 = cluster.job(api, "batch", "enqueued", 3000);
    UUID held2 = cluster.job(api, "batch", "enqueued", 12000);
    cluster.assign(held1, "cpu-small");
    cluster.assign(held2, "gpu-large");
    cluster.job(api, "single", "enqueued", 600);
    UUID single = cluster.job(api, "single", "enqueued", 650);
    cluster.jobSpan(single, apiSpans.get(11), 1);
    cluster.failJob(single, "context overflow: prompt 4400 tokens > worker limit 4096");
    cluster.job(api, "single", "enqueued", 700);
    cluster.job(tools, "batch", "enqueued", 1200);

    cluster.worker("cpu-small", 4096, 1, "llama", "gemma3-270m", 1);
    cluster.worker("gpu-large", 16384, 2, "ollama", "qwen2.5-coder:7b", 1);
    cluster.worker("old-laptop", 32768, 1, "llama", "gemma3-270m", 0);
    cluster.heartbeat("cpu-small", 3);
    cluster.heartbeat("gpu-large", 1);
    cluster.heartbeat("old-laptop", 300);

    // An hour of work: the GPU box does batches of 5 every minute, the CPU box slower ones.
    for (int minute = 0; minute < 55; minute++) {
      int ago = minute * 60 + 5;
      cluster.llmCall(
          null,
          "gpu-large",
          "qwen2.5-coder:7b",
          "batch",
          5,
          5,
          1500 + 37 * (minute % 7),
          700 + 23 * (minute % 5),
          4000 + 100 * (minute % 3),
          "ok",
          null,
          ago);
      if (minute % 3 == 0) {
        cluster.llmCall(
            null,
            "cpu-small",
            "gemma3-270m",
            "batch",
            4,
            4,
            1100,
            500,
            30000,
            "ok",
            null,
            ago + 20);
      }
      if (minute % 5 == 0) {
        cluster.llmCall(
            null, "cpu-small", "gemma3-270m", "single", 1, 1, 350, 160, 9000, "ok", null, ago + 40);
      }
    }
    cluster.llmCall(
        split,
        "gpu-large",
        "qwen2.5-coder:7b",
        "batch",
        5,
        4,
        1500,
        700,
        4500,
        "partial",
        "item 2 failed schema validation: related_spans must be an array",
        30);
    cluster.llmCall(
        single,
        "cpu-small",
        "gemma3-270m",
        "single",
        1,
        0,
        4400,
        0,
        200,
        "error",
        "context overflow: prompt 4400 tokens > worker limit 4096",
        90);
    cluster.spanFailure(apiSpans.get(11), 2, "summary_120w has 180 words (at most 120)", false);
    return new RunningSystem(split, single);
  }
}
