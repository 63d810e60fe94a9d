package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.config.Variable;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.job.Workers;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmSettings;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    description =
        "A JobRunr server with this machine's limits: pulls only the jobs that fit them and has an"
            + " LLM enrich them. Run as many as there are spare machines.")
final class WorkerCommand extends CliCommand {

  @Mixin WorkerOptions worker;

  @Variable(WorkerSettings.NAME)
  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "name shown on the dashboards; default host name and process id"
              + " (CODEGLOSS_WORKER_NAME)")
  @Nullable String name;

  @Option(
      names = "--until-idle",
      description = "exit once the queue has nothing this worker can take")
  boolean untilIdle;

  @Override
  boolean longRunning() {
    return true;
  }

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    WorkerSettings settings = WorkerSettings.from(s);
    LlmSettings llm = LlmSettings.from(s, ctx.home());
    Printer out = ctx.out();
    try (OpenDatabase db =
            Commands.openDatabase(s, ctx.home(), "worker", settings.databasePoolSize());
        LlmBackend backend = LlmBackends.create(llm)) {
      WorkerProcess process =
          Workers.create(db.database(), backend, settings, defaultName(), CodeglossMain.VERSION);
      process.start();
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                out.progress(
                    "codegloss worker: draining (finishing running jobs, taking no new ones)");
                process.drain(settings.drain());
                stopped.countDown();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      out.progress(
          "codegloss worker running: backend "
              + backend.name()
              + ", model "
              + backend.model()
              + (untilIdle ? "; exits when no job is left" : " (Ctrl-C drains and stops)"));
      if (untilIdle) {
        Commands.waitUntilIdle(process, out);
        Runtime.getRuntime().removeShutdownHook(hook);
        process.drain(settings.drain());
      } else {
        Commands.awaitQuietly(stopped);
      }
    }
    return 0;
  }

  /** A worker's name when CODEGLOSS_WORKER_NAME is unset: unique per process on the machine. */
  static String defaultName() {
    return Workers.hostName() + "-" + ProcessHandle.current().pid();
  }
}
