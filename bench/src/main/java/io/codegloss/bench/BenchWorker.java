package io.codegloss.bench;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One benchmark worker process: the production worker (see {@link Wiring}), configured only by its
 * environment, that announces {@value #READY} on stdout once it polls the queue and drains and
 * exits when its standard input closes (the benchmark closes it, or dies). It never prints anything
 * else on stdout.
 */
public final class BenchWorker {

  static final String READY = "CODEGLOSS-BENCH-WORKER-READY";

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
    Path config =
        Path.of(
            env.getOrDefault(
                "CODEGLOSS_CONFIG",
                Databases.home(Settings.of(env)).resolve("config.properties").toString()));
    Settings s = Settings.load(Map.of(), env, config);
    Path home = Databases.home(s);
    String name =
        s.string("CODEGLOSS_WORKER_NAME", "bench-worker-" + ProcessHandle.current().pid());
    int concurrency = s.intValue("CODEGLOSS_WORKER_CONCURRENCY", 1, 1, 256);
    try (OpenDatabase db = Databases.open(DbSettings.from(s), home, name, 2 + concurrency);
        LlmBackend backend = LlmBackends.create(s, home)) {
      WorkerProcess worker = Wiring.worker(s, db.database(), backend, name, concurrency);
      worker.start();
      System.out.println(READY + " " + name);
      System.out.flush();
      try {
        while (stop.read() >= 0) {
          // wait for end of input
        }
      } catch (IOException e) {
        // the parent went away: stop as well
      }
      worker.drain(Duration.ofSeconds(30));
    }
  }
}
