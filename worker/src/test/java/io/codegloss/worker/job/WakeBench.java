package io.codegloss.worker.job;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.job.EnrichJobHandler;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.testing.Seed;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark entry point of {@code bench/wake/run.sh}: how long a single job (an edited span's, as
 * the scheduler's watcher enqueues it) waits for an idle worker. Starts one worker (JobRunr's
 * default 5 s poll, wake-up on or off), lets it idle past its first poll, then N times: waits a
 * random 0–5 s (so the enqueue falls anywhere in the poll's cycle), enqueues one job and times from
 * the enqueue's commit to the job's start in the worker. Prints one JSON line.
 */
public final class WakeBench {

  private WakeBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: WakeBench on|off [JOBS]");
      System.exit(2);
    }
    boolean wake = args[0].equals("on");
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    try (OpenDatabase open =
        Databases.open(DbSettings.from(settings), Databases.home(settings), "wake-bench", 8)) {
      Database db = open.database();
      db.withConnection(
          c -> {
            try (Statement s = c.createStatement()) {
              s.execute("drop schema if exists public cascade; create schema public");
            }
            return null;
          });
      DbMigrations.apply(db.dataSource());
      long repo = Seed.into(db.dataSource()).repo("/bench").repoId();
      Map<UUID, Long> started = new ConcurrentHashMap<>();
      EnrichJobHandler handler = request -> started.put(request.jobId(), System.nanoTime());
      JobEnqueuer enqueuer = new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()));
      List<Double> waits = new ArrayList<>();
      try (WorkerProcess w =
          new WorkerProcess(
              db,
              Queue.open(db.dataSource(), () -> 4_096),
              new WorkerIdentity("wake-bench", "localhost", 4_096, 1),
              handler,
              "test",
              "none",
              "bench",
              WorkerProcess.ServerTiming.DEFAULT,
              wake,
              CallLoad.NONE)) {
        w.start();
        Thread.sleep(3_000);
        Random random = new Random(42);
        for (int i = 0; i < jobs; i++) {
          Thread.sleep(random.nextInt(5_000));
          UUID id = UUID.nameUUIDFromBytes(("wake-" + i).getBytes(StandardCharsets.UTF_8));
          enqueuer.enqueue(
              List.of(new JobPlan(id, repo, null, JobKind.SINGLE, List.of(), 500, 250, "b", null)));
          long committed = System.nanoTime();
          long deadline = committed + 30_000_000_000L;
          while (!started.containsKey(id) && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          Long at = started.get(id);
          waits.add(at == null ? Double.NaN : (at - committed) / 1e6);
        }
      }
      List<Double> sorted = new ArrayList<>(waits);
      Collections.sort(sorted);
      System.out.printf(
          "{\"wake\": \"%s\", \"jobs\": %d, \"median_ms\": %.1f, \"min_ms\": %.1f, \"p90_ms\": %.1f,"
              + " \"max_ms\": %.1f, \"each_ms\": %s}%n",
          wake ? "on" : "off",
          jobs,
          sorted.get(sorted.size() / 2),
          sorted.get(0),
          sorted.get((int) Math.floor(sorted.size() * 0.9)),
          sorted.get(sorted.size() - 1),
          waits.stream().map(d -> String.format("%.1f", d)).toList());
    }
  }
}
