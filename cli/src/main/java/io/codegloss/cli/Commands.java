package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.enrich.SpanFailures;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.index.RepoQueries;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.SchedulerSettings;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.worker.job.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** Wiring and waiting shared by the commands; each command builds what it needs by constructor. */
final class Commands {

  private Commands() {}

  static OpenDatabase openDatabase(Settings settings, Path home, String pool, int poolSize) {
    // Migrations hold an advisory lock on one connection while Flyway uses two more.
    OpenDatabase db = Databases.open(DbSettings.from(settings), home, pool, Math.max(poolSize, 4));
    DbMigrations.apply(db.database().dataSource());
    return db;
  }

  /** PATH (or the default) as an absolute directory; anything else is a usage error. */
  static Path directory(@Nullable String path, String fallback) {
    Path p = Path.of(path == null ? fallback : path).toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new ConfigException("not a directory: " + p);
    }
    return p;
  }

  static long requireRepo(Database db, Path root) {
    return new RepoQueries(db)
        .repoIdFor(root)
        .orElseThrow(
            () ->
                new PermanentException(
                    root
                        + " is not an indexed repository (run 'codegloss index "
                        + root
                        + "' first)"));
  }

  static EnqueueService enqueueService(Database db, PlanSettings plan) {
    Queue queue = Queue.openClientOnly(db.dataSource());
    return new EnqueueService(db, new BatchPlanner(plan), new JobEnqueuer(db, queue.scheduler()));
  }

  /**
   * The scheduler process of {@code scheduler} and {@code up}.
   *
   * @param noRetrySince spans that failed since then are not offered again (up --until-done)
   */
  static SchedulerProcess newScheduler(
      SchedulerSettings settings,
      PlanSettings plan,
      IndexSettings index,
      Database db,
      Queue queue,
      @Nullable Instant noRetrySince) {
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue.scheduler());
    Indexer indexer = new Indexer(db, index);
    return new SchedulerProcess(
        db,
        queue,
        new EnqueueService(db, new BatchPlanner(plan), enqueuer, noRetrySince),
        new Sweeper(db, enqueuer, settings.lostJobSeconds(), new SpanFailures(settings.retry())),
        root -> indexer.index(root).repoId(),
        settings.options());
  }

  /** Idle twice in a row, a poll apart, so that a job enqueued between two checks is not missed. */
  static void waitUntilIdle(WorkerProcess worker) {
    int idleChecks = 0;
    while (idleChecks < 2) {
      sleep(Duration.ofSeconds(3));
      idleChecks = worker.idle() ? idleChecks + 1 : 0;
    }
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM). */
  static void awaitShutdown() {
    CountDownLatch latch = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(latch::countDown));
    awaitQuietly(latch);
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentException("interrupted");
    }
  }

  /** Counts for the end-of-run summary of `up --until-done`. */
  static Map<String, Object> runSummary(Database db, long repoId, double wallSeconds) {
    return db.withConnection(
        c -> {
          Map<String, Object> m = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select"
                      + " (select count(*) from spans s join repositories r on r.id = s.repo_id"
                      + "   where s.repo_id = ? and exists (select 1 from enrichments e where e.span_id = s.id"
                      + "   and e.span_hash = s.content_hash and e.generation >= r.generation)),"
                      + " (select count(*) from spans s join span_failures f on f.span_id = s.id"
                      + "   and f.span_hash = s.content_hash where s.repo_id = ?"
                      + "   and not exists (select 1 from enrichments e where e.span_id = s.id"
                      + "   and e.span_hash = s.content_hash)),"
                      + " (select count(*) from spans where repo_id = ?),"
                      + " count(l.id), coalesce(sum(l.prompt_tokens), 0), coalesce(sum(l.completion_tokens), 0)"
                      + " from llm_calls l join jobs j on j.id = l.job_id where j.repo_id = ?")) {
            for (int i = 1; i <= 4; i++) {
              ps.setLong(i, repoId);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              m.put("spans_total", rs.getLong(3));
              m.put("spans_enriched", rs.getLong(1));
              m.put("spans_failed", rs.getLong(2));
              m.put("calls", rs.getLong(4));
              m.put("prompt_tokens", rs.getLong(5));
              m.put("completion_tokens", rs.getLong(6));
            }
          }
          m.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
          return m;
        });
  }
}
