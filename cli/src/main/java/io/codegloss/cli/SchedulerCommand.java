package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.config.Variable;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.queue.Queue;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.SchedulerSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "scheduler",
    description =
        "Long-running: apply the migrations, run the JobRunr master with its dashboard, and every"
            + " interval re-index, plan, enqueue and sweep each registered repository. One per"
            + " database.")
final class SchedulerCommand extends CliCommand {

  @Variable(SchedulerSettings.JOBRUNR_PORT)
  @Option(
      names = "--jobrunr-port",
      paramLabel = "N",
      description = "port of the JobRunr dashboard, 0 for none (CODEGLOSS_JOBRUNR_PORT, 8000)")
  @Nullable Integer jobrunrPort;

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
          "seconds between planning and sweeping rounds (CODEGLOSS_SCHEDULER_INTERVAL_SECONDS, 30)")
  @Nullable Integer intervalSeconds;

  @Mixin BatchOptions batch;

  @Override
  boolean longRunning() {
    return true;
  }

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    SchedulerSettings scheduler = SchedulerSettings.from(s);
    PlanSettings plan = PlanSettings.from(s);
    IndexSettings index = IndexSettings.from(s);
    int port = scheduler.jobrunrPort();
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "scheduler", 8)) {
      Queue queue = Queue.openClientOnly(db.database().dataSource());
      try (SchedulerProcess process =
          Commands.newScheduler(scheduler, plan, index, db.database(), queue, null)) {
        process.start();
        ctx.out()
            .progress(
                "codegloss scheduler running"
                    + (port > 0
                        ? "; JobRunr dashboard on http://"
                            + Commands.urlHost(scheduler.jobrunrHost())
                            + ":"
                            + port
                            + "/dashboard"
                        : "")
                    + " (Ctrl-C to stop)");
        Commands.awaitShutdown();
      }
    }
    return 0;
  }
}
