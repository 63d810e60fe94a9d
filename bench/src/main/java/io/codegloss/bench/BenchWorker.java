package io.codegloss.bench;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.job.Workers;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One benchmark worker process: the production worker ({@link Workers#create}, as {@code codegloss
 * worker} builds it), configured only by its environment, that announces {@value #READY} on stdout
 * once it polls the queue and drains and exits when its standard input closes (the benchmark closes
 * it, or dies). It never prints anything else on stdout.
 */
public final class BenchWorker {

  static final String READY = "CODEGLOSS-BENCH-WORKER-READY";

  /**
   * The JVM options the launchers give {@code codegloss worker} (LauncherJvmOptionsTest holds them
   * to it), so that the benchmark measures the worker an operator starts: the C1 compiler alone.
   */
  public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  /** Stored with the workers' registrations, so that bench workers are told apart. */
  static final String VERSION = "bench";

  private BenchWorker() {}

  public static void main(String[] args) {
    int code = 0;
    try {
      run(System.getenv(), System.in);
    } catch (RuntimeException e) {
      System.err.println("bench worker: " + e);
      code = 1;
    }
    // llama.cpp's native thread keeps the JVM alive: exit explicitly.
    System.exit(code);
  }

  static void run(Map<String, String> env, InputStream stop) {
    Settings s =
        Settings.load(Map.of(), env, Settings.configFile(env, Databases.home(Settings.of(env))));
    Path home = Databases.home(s);
    // every setting is read once, here; the worker gets typed records
    WorkerSettings worker = WorkerSettings.from(s);
    String name =
        worker.name() != null ? worker.name() : "bench-worker-" + ProcessHandle.current().pid();
    LlmSettings llm = LlmSettings.from(s, home);
    try (OpenDatabase db =
            Databases.open(DbSettings.from(s), home, name, worker.databasePoolSize());
        LlmBackend backend = LlmBackends.create(llm)) {
      WorkerProcess process = Workers.create(db.database(), backend, worker, name, VERSION);
      process.start();
      System.out.println(READY + " " + name);
      System.out.flush();
      try {
        while (stop.read() >= 0) {
          // wait for end of input
        }
      } catch (IOException e) {
        // the parent went away: stop as well
      }
      process.drain(Duration.ofSeconds(30));
    }
  }
}
