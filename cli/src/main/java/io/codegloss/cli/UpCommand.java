package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.config.Variable;
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
import io.codegloss.scheduler.queue.SchedulerSettings;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.job.Workers;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code codegloss up [PATH]}: everything in one process on the embedded default — database,
 * scheduler, one worker on the default model, both dashboards. With {@code --until-done} it
 * indexes, enqueues and enriches everything pending, then prints a summary and exits.
 */
@Command(
    name = "up",
    description =
        "Everything in one process on the embedded default: database, scheduler, one worker and"
            + " both dashboards; with PATH, indexes and enqueues it first.")
final class UpCommand extends CliCommand {

  /** up re-plans more often than a standalone scheduler: one user is waiting for the result. */
  static final int DEFAULT_INTERVAL_SECONDS = 5;

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "the repository (default: .)")
  @Nullable String path;

  @Option(
      names = "--until-done",
      description = "exit with a summary once every span is enriched or has failed")
  boolean untilDone;

  @Option(names = "--no-dashboard", description = "start neither dashboard")
  boolean noDashboard;

  @Option(names = "--json", description = "print the --until-done summary as JSON")
  boolean json;

  @Variable(DashboardSettings.PORT)
  @Option(
      names = "--port",
      paramLabel = "N",
      description = "dashboard port (CODEGLOSS_DASHBOARD_PORT, 7070)")
  @Nullable Integer port;

  @Variable(SchedulerSettings.JOBRUNR_PORT)
  @Option(
      names = "--jobrunr-port",
      paramLabel = "N",
      description = "JobRunr dashboard port (CODEGLOSS_JOBRUNR_PORT, 8000)")
  @Nullable Integer jobrunrPort;

  @Variable(DashboardSettings.HOST)
  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "dashboard address to bind; another than loopback needs CODEGLOSS_DASHBOARD_USER/PASSWORD or CODEGLOSS_DASHBOARD_OPEN=on (CODEGLOSS_DASHBOARD_HOST, 127.0.0.1)")
  @Nullable String host;

  @Variable(SchedulerSettings.JOBRUNR_HOST)
  @Option(
      names = "--jobrunr-host",
      paramLabel = "ADDRESS",
      description =
          "address the JobRunr dashboard binds; another than loopback needs CODEGLOSS_JOBRUNR_DASHBOARD_USER/PASSWORD or CODEGLOSS_JOBRUNR_DASHBOARD_OPEN=on (CODEGLOSS_JOBRUNR_HOST, 127.0.0.1)")
  @Nullable String jobrunrHost;

  @Variable(SchedulerSettings.INTERVAL_SECONDS)
  @Option(
      names = "--interval-seconds",
      paramLabel = "N",
      description =
          "seconds between planning rounds (CODEGLOSS_SCHEDULER_INTERVAL_SECONDS, 5 in up)")
  @Nullable Integer intervalSeconds;

  @Mixin WorkerOptions worker;

  @Mixin BatchOptions batch;

  @Override
  boolean longRunning() {
    return true;
  }

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    boolean dashboards = !noDashboard;
    SchedulerSettings fromSettings = SchedulerSettings.from(s, DEFAULT_INTERVAL_SECONDS);
    SchedulerSettings schedulerSettings =
        fromSettings.withJobrunrPort(dashboards ? fromSettings.jobrunrPort() : 0);
    PlanSettings plan = PlanSettings.from(s);
    IndexSettings index = IndexSettings.from(s);
    WorkerSettings workerSettings = WorkerSettings.from(s);
    LlmSettings llm = LlmSettings.from(s, ctx.home());
    DashboardSettings dashboardSettings = dashboards ? DashboardSettings.from(s) : null;
    Path root = Commands.directory(path, ".");
    Printer out = ctx.out();
    long started = System.nanoTime();
    java.time.Instant runStart = java.time.Instant.now();
    try (OpenDatabase open =
            Commands.openDatabase(s, ctx.home(), "up", 6 + workerSettings.databasePoolSize());
        LlmBackend backend = LlmBackends.create(llm)) {
      Database db = open.database();
      IndexReport report = new Indexer(db, index).index(root);
      long repoId = report.repoId();
      out.progress(
          String.format(
              "indexed %s: %d files, %d spans (%d added, %d changed)",
              root,
              report.filesScanned(),
              report.spansTotal(),
              report.spansAdded(),
              report.spansChanged()));
      int jobrunrPort = schedulerSettings.jobrunrPort();
      Queue schedulerQueue = Queue.openClientOnly(db.dataSource());
      DashboardServer dashboard = null;
      // --until-done gives each span its planned job and its fallback; retries of spans that
      // failed are left to a later run or to the scheduler.
      try (SchedulerProcess scheduler =
              Commands.newScheduler(
                  schedulerSettings, plan, index, db, schedulerQueue, untilDone ? runStart : null);
          WorkerProcess worker =
              Workers.create(
                  db,
                  backend,
                  workerSettings,
                  WorkerCommand.defaultName(),
                  CodeglossMain.VERSION)) {
        scheduler.start();
        worker.start();
        if (dashboardSettings != null) {
          dashboard = new DashboardServer(db, dashboardSettings);
          dashboard.start(dashboardSettings.port());
          out.progress(
              "dashboard:         http://"
                  + Commands.urlHost(dashboardSettings.host())
                  + ":"
                  + dashboard.port()
                  + "/");
          if (jobrunrPort > 0) {
            out.progress(
                "JobRunr dashboard: http://"
                    + Commands.urlHost(schedulerSettings.jobrunrHost())
                    + ":"
                    + jobrunrPort
                    + "/dashboard");
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
      if (json) {
        out.json(summary);
      } else {
        out.linef(
            "%s spans: %s with facts, %s enriched (%s with model prose), %s prose failed;"
                + " %s LLM calls, %s prompt + %s completion tokens, in %.1f s",
            summary.get("spans_total"),
            summary.get("spans_with_facts"),
            summary.get("spans_enriched"),
            summary.get("spans_model_prose"),
            summary.get("spans_prose_failed"),
            summary.get("calls"),
            summary.get("prompt_tokens"),
            summary.get("completion_tokens"),
            wall);
      }
    }
    return 0;
  }

  /**
   * Done when nothing is pending and no job of this repository is waiting or running. Through a
   * database outage it waits and says so (see {@link Commands.OutageWait}).
   */
  private static void waitUntilDone(
      Database db, long repoId, SchedulerProcess scheduler, Printer out) {
    Commands.OutageWait outage = new Commands.OutageWait(out);
    long lastPrint = 0;
    int quiet = 0;
    while (quiet < 2) {
      Commands.sleep(Duration.ofSeconds(2));
      if (System.nanoTime() - lastPrint > 10_000_000_000L) {
        String line = outage.attempt(() -> progressLine(db, repoId));
        if (line != null) {
          out.progress(line);
          lastPrint = System.nanoTime();
        }
      }
      Boolean done =
          outage.attempt(
              () -> {
                if (liveJobs(db, repoId) != 0) {
                  return false;
                }
                // One more planning round: fallbacks and edits may have made new work.
                scheduler.tick();
                return liveJobs(db, repoId) == 0;
              });
      quiet = Boolean.TRUE.equals(done) ? quiet + 1 : 0;
    }
  }

  static long liveJobs(Database db, long repoId) {
    return db.withConnection(c -> JobTable.countLive(c, repoId));
  }

  static String progressLine(Database db, long repoId) {
    Map<String, Object> m = Commands.runSummary(db, repoId, 0);
    return String.format(
        "progress: %s/%s spans enriched, %s prose failed, %d jobs queued or running, %s LLM calls",
        m.get("spans_enriched"),
        m.get("spans_total"),
        m.get("spans_prose_failed"),
        liveJobs(db, repoId),
        m.get("calls"));
  }
}
