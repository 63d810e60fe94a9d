package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.index.RepoQueries;
import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.SchedulerSettings;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.worker.job.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
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
    return new EnqueueService(db, new BatchPlanner(plan), new JobEnqueuer(db, queue));
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
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue);
    Indexer indexer = new Indexer(db, index);
    return new SchedulerProcess(
        db,
        queue,
        new EnqueueService(db, new BatchPlanner(plan), enqueuer, noRetrySince),
        new Sweeper(
            db, enqueuer, settings.lostJobSeconds(), new SpanFailureTable(settings.retry())),
        SchedulerProcess.Reindexer.of(indexer),
        settings.options(),
        new RepoWalker(index.maxFileBytes(), index.extraExcludes()));
  }

  /**
   * Idle twice in a row, a poll apart, so that a job enqueued between two checks is not missed.
   * Through a database outage it waits (see {@link OutageWait}): the worker's JobRunr server comes
   * back on its own, and its jobs are still to be done.
   */
  static void waitUntilIdle(WorkerProcess worker, Printer out) {
    OutageWait outage = new OutageWait(out);
    int idleChecks = 0;
    while (idleChecks < 2) {
      sleep(Duration.ofSeconds(3));
      Boolean idle = outage.attempt(worker::idle);
      idleChecks = Boolean.TRUE.equals(idle) ? idleChecks + 1 : 0;
    }
  }

  /**
   * The wait loops of {@code worker --until-idle} and {@code up --until-done} through a database
   * outage: one line when the database stops answering, one when it answers again, and the loop
   * goes on in between (an outage is not the end of the work; Ctrl-C still drains and stops).
   */
  static final class OutageWait {
    private final Printer out;
    private boolean down;

    OutageWait(Printer out) {
      this.out = out;
    }

    /** The check's answer, or null while the database is unreachable. */
    <T> @Nullable T attempt(java.util.function.Supplier<T> check) {
      T result;
      try {
        result = check.get();
      } catch (RetryableException e) {
        if (!down) {
          out.progress(
              "codegloss: the database is unreachable ("
                  + e.oneLine()
                  + "); waiting for it to come back (Ctrl-C stops)");
          down = true;
        }
        return null;
      }
      if (down) {
        out.progress("codegloss: the database answers again; continuing");
        down = false;
      }
      return result;
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
          SpanStates.Counts states = SpanStates.counts(c, repoId);
          LlmCallTable.RepoTotals calls = LlmCallTable.totalsOfRepository(c, repoId);
          m.put("spans_total", states.spans());
          m.put("spans_with_facts", states.withFacts());
          m.put("spans_enriched", states.enriched());
          m.put("spans_model_prose", states.modelProse());
          m.put("spans_facts_only", states.factsOnly());
          m.put("spans_prose_failed", states.failed());
          // the same number under its name from before facts existed, for scripts that read it
          m.put("spans_failed", states.failed());
          m.put("spans_not_indexed", states.notIndexed());
          m.put("calls", calls.calls());
          m.put("prompt_tokens", calls.promptTokens());
          m.put("completion_tokens", calls.completionTokens());
          m.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
          return m;
        });
  }

  /** The host to print in a dashboard's url: a wildcard bind is reached as localhost here. */
  static String urlHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "localhost" : host;
  }
}
