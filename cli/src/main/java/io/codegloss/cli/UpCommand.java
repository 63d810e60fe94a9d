package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobTable;
import io.codegloss.dashboard.DashboardServer;
import io.codegloss.dashboard.DashboardSettings;
import io.codegloss.scheduler.index.IndexReport;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code codegloss up [PATH]}: everything in one process on the embedded default — database,
 * scheduler, one worker on the default model, both dashboards. With {@code --until-done} it
 * indexes, enqueues and enriches everything pending, then prints a summary and exits.
 */
final class UpCommand {

  private final Commands cmd;

  UpCommand(Commands cmd) {
    this.cmd = cmd;
  }

  int run() {
    Map<String, String> flags = new HashMap<>(PlanSettings.FLAGS);
    flags.putAll(
        Map.of(
            "max-tokens", "CODEGLOSS_WORKER_MAX_TOKENS",
            "concurrency", "CODEGLOSS_WORKER_CONCURRENCY",
            "backend", "CODEGLOSS_BACKEND",
            "model", "CODEGLOSS_MODEL",
            "port", "CODEGLOSS_DASHBOARD_PORT",
            "jobrunr-port", "CODEGLOSS_JOBRUNR_PORT",
            "interval-seconds", "CODEGLOSS_SCHEDULER_INTERVAL_SECONDS"));
    Map<String, String> allowed = new HashMap<>(flags);
    allowed.put("json", "");
    allowed.put("until-done", "");
    allowed.put("no-dashboard", "");
    allowed.put("db-url", "");
    cmd.allow(allowed.keySet().toArray(String[]::new));
    Settings s = cmd.settings(flags);
    if (s.optional("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS").isEmpty()) {
      s = s.withFlags(Map.of("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "5"));
    }
    Path root = cmd.pathArg(0, ".");
    boolean untilDone = cmd.args().has("until-done");
    boolean dashboards = !cmd.args().has("no-dashboard");
    Printer out = cmd.out();
    long started = System.nanoTime();
    java.time.Instant runStart = java.time.Instant.now();
    try (OpenDatabase open = cmd.openDatabase(s, "up", 8);
        LlmBackend backend = LlmBackends.create(s, cmd.home())) {
      Database db = open.database();
      IndexReport report = new Indexer(db, IndexSettings.from(s)).index(root);
      long repoId = report.repoId();
      out.progress(
          String.format(
              "indexed %s: %d files, %d spans (%d added, %d changed)",
              root,
              report.filesScanned(),
              report.spansTotal(),
              report.spansAdded(),
              report.spansChanged()));
      int jobrunrPort = dashboards ? s.intValue("CODEGLOSS_JOBRUNR_PORT", 8000, 0, 65_535) : 0;
      Queue schedulerQueue = Queue.openClientOnly(db.dataSource());
      DashboardServer dashboard = null;
      // --until-done gives each span its planned job and its fallback; retries of spans that
      // failed are left to a later run or to the scheduler.
      try (SchedulerProcess scheduler =
              cmd.newScheduler(s, db, schedulerQueue, jobrunrPort, untilDone ? runStart : null);
          WorkerProcess worker = cmd.newWorker(s, db, backend)) {
        scheduler.start();
        worker.start();
        if (dashboards) {
          dashboard = new DashboardServer(db, DashboardSettings.from(s));
          dashboard.start(s.intValue("CODEGLOSS_DASHBOARD_PORT", 7070, 0, 65_535));
          out.progress("dashboard:         http://localhost:" + dashboard.port() + "/");
          if (jobrunrPort > 0) {
            out.progress("JobRunr dashboard: http://localhost:" + jobrunrPort + "/dashboard");
          }
        }
        out.progress(
            "worker "
                + backend.name()
                + " / "
                + backend.model()
                + (untilDone ? "; running until every span is enriched" : "; Ctrl-C to stop"));
        if (untilDone) {
          waitUntilDone(db, repoId, scheduler, out);
        } else {
          Thread progress =
              new Thread(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      Commands.sleep(Duration.ofSeconds(10));
                      out.progress(progressLine(db, repoId));
                    }
                  },
                  "codegloss-progress");
          progress.setDaemon(true);
          progress.start();
          Commands.awaitShutdown();
        }
      } finally {
        if (dashboard != null) {
          dashboard.stop();
        }
      }
      double wall = (System.nanoTime() - started) / 1e9;
      Map<String, Object> summary = Commands.runSummary(db, repoId, wall);
      if (cmd.args().has("json")) {
        out.json(summary);
      } else {
        out.linef(
            "enriched %s of %s spans (%s failed) with %s LLM calls, %s prompt + %s completion tokens, in %.1f s",
            summary.get("spans_enriched"),
            summary.get("spans_total"),
            summary.get("spans_failed"),
            summary.get("calls"),
            summary.get("prompt_tokens"),
            summary.get("completion_tokens"),
            wall);
      }
    }
    return 0;
  }

  /** Done when nothing is pending and no job of this repository is waiting or running. */
  private static void waitUntilDone(
      Database db, long repoId, SchedulerProcess scheduler, Printer out) {
    long lastPrint = 0;
    int quiet = 0;
    while (quiet < 2) {
      Commands.sleep(Duration.ofSeconds(2));
      if (System.nanoTime() - lastPrint > 10_000_000_000L) {
        out.progress(progressLine(db, repoId));
        lastPrint = System.nanoTime();
      }
      if (liveJobs(db, repoId) == 0) {
        // One more planning round: fallbacks and edits may have made new work.
        scheduler.tick();
        quiet = liveJobs(db, repoId) == 0 ? quiet + 1 : 0;
      } else {
        quiet = 0;
      }
    }
  }

  static long liveJobs(Database db, long repoId) {
    return db.withConnection(c -> JobTable.countLive(c, repoId));
  }

  static String progressLine(Database db, long repoId) {
    Map<String, Object> m = Commands.runSummary(db, repoId, 0);
    return String.format(
        "progress: %s/%s spans enriched, %s failed, %d jobs queued or running, %s LLM calls",
        m.get("spans_enriched"),
        m.get("spans_total"),
        m.get("spans_failed"),
        liveJobs(db, repoId),
        m.get("calls"));
  }
}
