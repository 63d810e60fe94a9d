package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.dashboard.DashboardPage;
import io.codegloss.dashboard.DashboardServer;
import io.codegloss.dashboard.DashboardSettings;
import io.codegloss.dashboard.HeadlessChromium;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * The card's distributed queue for real: a scheduler and workers in JVMs of their own, the real
 * model in each worker, one PostgreSQL. One worker is killed with SIGKILL in the middle of a batch.
 */
@Tag("e2e")
class DistributedEnrichmentE2eTest {

  /** Fits single-span jobs (about 1,200 tokens) but no batch of the fixture (2,000 and more). */
  private static final int SMALL = 1_600;

  private static final int LARGE = 8_192;

  @Test
  void aSchedulerAndTwoWorkersOfDifferentSizesBatchEnrichARepositoryAndLoseNothingWhenOneIsKilled(
      @TempDir Path tmp) {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      Path repo = E2e.fixtureRepo(tmp);
      Map<String, String> env = E2e.env(t, tmp.resolve("home"));
      E2e.Result enqueued = E2e.run(env, "enqueue", repo.toString(), "--json");
      assertThat(enqueued.code()).as(enqueued.err()).isZero();
      long spans = count(db, "select count(*) from spans");
      assertThat(spans).as("fixture spans").isGreaterThanOrEqualTo(10);
      assertThat(
              count(
                  db,
                  "select count(*) from spans s join files f on f.id = s.file_id where f.path like '%.env%'"))
          .as("secrets are never indexed")
          .isZero();
      assertThat(count(db, "select count(*) from jobs where kind = 'batch'"))
          .as("batches planned")
          .isGreaterThanOrEqualTo(2);
      long planned = count(db, "select count(*) from jobs");
      java.util.UUID[] plannedIds =
          db.withConnection(
              c -> {
                List<java.util.UUID> ids = new ArrayList<>();
                try (var ps = c.prepareStatement("select id from jobs");
                    var rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getObject(1, java.util.UUID.class));
                  }
                }
                return ids.toArray(java.util.UUID[]::new);
              });

      Path logs = tmp.resolve("logs");
      List<ChildJvm> children = new ArrayList<>();
      DashboardServer dashboard = null;
      WebDriver browser = null;
      try {
        children.add(ChildJvm.start("scheduler", logs, env, "scheduler", "--jobrunr-port", "0"));
        ChildJvm large =
            ChildJvm.start(
                "large-1", logs, env, "worker", "--name", "large-1", "--max-tokens", "" + LARGE);
        children.add(large);
        children.add(
            ChildJvm.start(
                "small", logs, env, "worker", "--name", "small", "--max-tokens", "" + SMALL));

        // Kill the large worker in the middle of a batch: no drain, no goodbye.
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    count(
                            db,
                            "select count(*) from jobs where kind = 'batch' and status = 'processing'"
                                + " and worker = 'large-1'")
                        > 0);
        UUID killed =
            db.withConnection(
                c -> {
                  try (var ps =
                          c.prepareStatement(
                              "select id from jobs where kind = 'batch' and status = 'processing'"
                                  + " and worker = 'large-1' limit 1");
                      var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                  }
                });
        large.kill9();
        children.add(
            ChildJvm.start(
                "large-2", logs, env, "worker", "--name", "large-2", "--max-tokens", "" + LARGE));

        // What an operator sees meanwhile: the dashboard in a real browser.
        // Dead after 30 s of silence: three JVMs that each load a model share two cores here, and a
        // heartbeat (every 5 s) delayed past 15 s under that load showed a live worker as dead.
        dashboard =
            new DashboardServer(
                    db, new DashboardSettings(0, 30, "http://localhost:8000", 1, null, null))
                .start(0);
        browser = HeadlessChromium.start();
        DashboardPage page =
            new DashboardPage(browser, "http://localhost:" + dashboard.port())
                .withTimeout(Duration.ofSeconds(90))
                .open()
                .waitUntilLive();
        page.awaitWorkerStatus("small", "alive");
        page.awaitWorkerStatus("large-2", "alive");
        page.awaitWorkerStatus("large-1", "dead");

        await()
            .atMost(Duration.ofMinutes(12))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    count(
                                db,
                                "select count(*) from jobs where status in ('enqueued', 'processing')")
                            == 0
                        && count(
                                db,
                                "select count(*) from spans s where not exists (select 1 from enrichments e where e.span_id = s.id)"
                                    + " and not exists (select 1 from span_failures f where f.span_id = s.id)")
                            == 0);

        long enriched = count(db, "select count(distinct span_id) from enrichments");
        long failed =
            count(
                db,
                "select count(*) from span_failures f where not exists"
                    + " (select 1 from enrichments e where e.span_id = f.span_id)");
        assertThat(enriched + failed)
            .as("every span enriched or recorded as failed")
            .isEqualTo(spans);
        // The planned round needs fewer calls than there are spans: one per planned job. With
        // the default base model most answers are refused by the validator, so the fallback
        // singles that follow are not counted here; bench/ measures the whole bill.
        assertThat(planned).as("batching makes fewer calls than spans").isLessThan(spans);
        // A model whose batch answers keep failing gets its later batches split without a call
        // (BatchPause); those jobs say so.
        assertThat(
                count(
                        db,
                        "select count(distinct l.job_id) from llm_calls l where l.job_id = any (?)",
                        (Object) plannedIds)
                    + count(
                        db,
                        "select count(*) from jobs j where j.id = any (?) and j.status = 'split'"
                            + " and j.last_error like 'batching paused%'"
                            + " and not exists (select 1 from llm_calls l where l.job_id = j.id)",
                        (Object) plannedIds))
            .as("every planned job was sent to the model or split because batching was paused")
            .isEqualTo(planned);
        assertThat(
                count(
                    db,
                    "select count(*) from llm_calls l join jobs j on j.id = l.job_id"
                        + " join workers w on w.name = l.worker where j.tokens > w.max_tokens"))
            .as("no job ran on a worker too small for it")
            .isZero();
        assertThat(
                count(
                    db,
                    "select count(*) from llm_calls l join jobs j on j.id = l.job_id"
                        + " where l.worker = 'small' and j.kind = 'batch'"))
            .as("the small worker never ran a batch")
            .isZero();
        assertThat(
                count(
                    db,
                    "select count(*) from job_spans js where js.job_id = ?"
                        + " and not exists (select 1 from enrichments e where e.span_id = js.span_id)"
                        + " and not exists (select 1 from span_failures f where f.span_id = js.span_id)",
                    killed))
            .as("every span of the killed batch ended enriched or recorded as failed")
            .isZero();
        assertThat(
                count(
                    db,
                    "select count(*) from llm_calls l join jobs j on j.id = l.job_id"
                        + " where l.worker <> 'large-1' and (j.id = ? or j.parent_id = ?)",
                    killed,
                    killed))
            .as("the killed batch was taken up again by another worker (retried or split)")
            .isPositive();
        assertThat(
                count(
                    db,
                    "select count(*) from jobs where id = ? and status in ('enqueued', 'processing')",
                    killed))
            .as("the killed batch is not left hanging")
            .isZero();
        assertThat(
                count(
                    db,
                    "select count(*) from span_links l left join spans s on s.id = l.to_span_id"
                        + " where s.id is null"))
            .as("every related link points at a span that exists")
            .isZero();

        page.await("the queue to drain", p -> p.queueCount("*", "batch", "enqueued") == 0);
        assertThat(page.chartPointsWithData("tokens"))
            .as(
                "the tokens-per-second chart has data (spans/min stays empty while the default model's notes are refused)")
            .isPositive();
        page.screenshot(Path.of("target/dashboard-distributed.png"));
      } catch (RuntimeException | Error e) {
        ChildJvm.attachLogs(e, children);
        throw e;
      } finally {
        children.forEach(ChildJvm::close);
        if (browser != null) {
          browser.quit();
        }
        if (dashboard != null) {
          dashboard.stop();
        }
      }
    }
  }
}
