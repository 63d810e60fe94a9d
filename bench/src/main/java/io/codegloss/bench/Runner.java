package io.codegloss.bench;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.QueueTiming;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.SchedulerSettings;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.job.Workers;
import io.codegloss.worker.llm.LlmBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs one measured configuration from an empty database to the last span: index the corpus, keep
 * the selected spans, start the workers and wait until they poll, then enqueue with the planner and
 * run the scheduler's loop (re-enqueueing failed spans after their backoff, sweeping failed
 * batches) until every span is enriched or has failed for good. Then the run's own database is read
 * for the numbers.
 */
final class Runner {

  /** The scheduler loop of a run ticks this often (production default: 30 s). */
  static final Duration TICK = Duration.ofSeconds(2);

  /**
   * @param name the mode or scaling point, also the database's name
   * @param batching RAG_BATCH_ENRICHMENT on or off
   * @param workers how many workers
   * @param concurrency jobs at once per worker
   * @param childProcesses workers in their own JVMs (as on other machines) or in this one
   * @param docstringQuality score the prose against the spans' docstrings after the run
   * @param retrievalQuality measure search's retrieval by layer set after the run
   */
  record Spec(
      String name,
      boolean batching,
      int workers,
      int concurrency,
      boolean childProcesses,
      SpanSelection spans,
      boolean docstringQuality,
      boolean retrievalQuality) {}

  /**
   * What every run of one benchmark shares.
   *
   * @param settings the resolved settings with the benchmark's defaults underneath
   * @param backend the in-process workers' backend (loaded once for all runs), or null
   * @param childEnv environment of child worker processes (backend and model settings)
   * @param tokens the tokenizer for the cost floor
   */
  record Context(
      FreshDatabases dbs,
      Corpus corpus,
      Settings settings,
      @Nullable LlmBackend backend,
      String backendLabel,
      Map<String, String> childEnv,
      ToIntFunction<String> tokens,
      boolean exactTokens,
      Path logDir,
      PrintStream progress,
      Duration timeout) {}

  private Runner() {}

  static RunResult run(Spec spec, Context ctx) {
    FreshDatabases.Fresh fresh = ctx.dbs().create(spec.name());
    Settings s =
        ctx.settings().withFlags(Map.of(PlanSettings.ENABLED, spec.batching() ? "on" : "off"));
    PlanSettings plan = PlanSettings.from(s);
    long repoId;
    try (Database db = fresh.connect(4, "bench-index")) {
      repoId = new Indexer(db, IndexSettings.from(s)).index(ctx.corpus().root()).repoId();
      int left = spec.spans().apply(db);
      if (left == 0) {
        throw new PermanentException("bench: the corpus has no spans to enrich");
      }
      ctx.progress()
          .printf(
              "bench [%s]: %d spans, %s, %d worker%s x %d, %s%n",
              spec.name(),
              left,
              ctx.backendLabel(),
              spec.workers(),
              spec.workers() == 1 ? "" : "s",
              spec.concurrency(),
              plan.describe());
    }
    pause(Duration.ofMillis(700)); // let the indexing sessions' statistics reach the server
    Instant t0;
    Instant t1;
    boolean timedOut = false;
    long ownQueryNanos = 0;
    double dbBefore;
    try (Database db = fresh.connect(4 + 2 * spec.workers() * spec.concurrency(), "bench-run")) {
      dbBefore = Measure.dbActiveMillis(db);
      Queue client = Queue.openClientOnly(db.dataSource());
      JobEnqueuer enqueuer = new JobEnqueuer(db, client);
      EnqueueService enqueue = new EnqueueService(db, new BatchPlanner(plan), enqueuer);
      SchedulerSettings scheduling = SchedulerSettings.from(s);
      Sweeper sweeper =
          new Sweeper(
              db, enqueuer, scheduling.lostJobSeconds(), new SpanFailureTable(scheduling.retry()));
      long repo = repoId;
      QueueTiming timing = scheduling.timing();
      try (Fleet fleet = startFleet(spec, ctx, s, db, fresh);
          SchedulerProcess scheduler =
              new SchedulerProcess(
                  db,
                  client,
                  enqueue,
                  sweeper,
                  root -> repo,
                  new SchedulerProcess.Options(
                      TICK,
                      0,
                      null,
                      null,
                      timing.pollSeconds(),
                      timing.timeoutMultiplicand(),
                      timing.retries()))) {
        t0 = Instant.now();
        enqueue.enqueue(repoId);
        scheduler.start();
        long deadline = System.nanoTime() + ctx.timeout().toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
          long q0 = System.nanoTime();
          boolean done = Measure.finished(db);
          ownQueryNanos += System.nanoTime() - q0;
          if (done) {
            break;
          }
          if (System.nanoTime() > deadline) {
            timedOut = true;
            ctx.progress().printf("bench [%s]: timed out after %s%n", spec.name(), ctx.timeout());
            break;
          }
          if (System.nanoTime() > nextReport) {
            long q1 = System.nanoTime();
            long[] p = Measure.progress(db);
            ownQueryNanos += System.nanoTime() - q1;
            ctx.progress()
                .printf(
                    "bench [%s]: %d/%d spans enriched, %d LLM calls, %.0f s%n",
                    spec.name(),
                    p[1],
                    p[0],
                    p[2],
                    Duration.between(t0, Instant.now()).toMillis() / 1000.0);
            nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
          }
          pause(Duration.ofMillis(250));
        }
        t1 = Instant.now();
      }
    }
    pause(Duration.ofMillis(1200)); // session-end statistics
    try (Database db = fresh.connect(2, "bench-measure")) {
      double dbAfter = Measure.dbActiveMillis(db);
      double dbMillis =
          dbBefore < 0 || dbAfter < 0 ? -1 : Math.max(0, dbAfter - dbBefore - ownQueryNanos / 1e6);
      Measure.Volume volume = Measure.volume(db);
      double wall = Duration.between(t0, t1).toMillis() / 1000.0;
      RunResult result =
          new RunResult(
              spec.name(),
              ctx.backendLabel(),
              plan.describe(),
              spec.workers(),
              spec.concurrency(),
              wall,
              volume,
              Measure.timing(db, t0, t1),
              Measure.cost(db, volume, ctx.tokens(), ctx.exactTokens()),
              Measure.quality(db),
              dbMillis,
              timedOut,
              Measure.calls(db),
              Measure.failureReasons(db, 5),
              spec.docstringQuality() ? Measure.docstrings(db) : null,
              spec.retrievalQuality() ? Measure.retrieval(db) : null);
      ctx.progress()
          .printf(
              "bench [%s]: done in %.1f s: %d/%d spans enriched, %d calls (%.2f per span),"
                  + " %d failed, %d lost%n",
              spec.name(),
              wall,
              volume.enriched(),
              volume.spans(),
              volume.calls(),
              result.callsPerSpan(),
              volume.failed(),
              volume.lost());
      return result;
    }
  }

  // ---------------------------------------------------------------- workers

  /** The workers of one run. */
  private interface Fleet extends AutoCloseable {
    @Override
    void close();
  }

  private static Fleet startFleet(
      Spec spec, Context ctx, Settings s, Database db, FreshDatabases.Fresh fresh) {
    if (!spec.childProcesses()) {
      if (ctx.backend() == null) {
        throw new IllegalStateException("in-process workers need a backend");
      }
      List<WorkerProcess> workers = new ArrayList<>();
      for (int i = 1; i <= spec.workers(); i++) {
        String name = "bench-" + spec.name() + "-" + i;
        WorkerProcess w =
            Workers.create(
                db,
                ctx.backend(),
                WorkerSettings.from(s).with(name, spec.concurrency()),
                name,
                BenchWorker.VERSION);
        w.start();
        workers.add(w);
      }
      return () -> workers.forEach(w -> w.drain(Duration.ofSeconds(30)));
    }
    List<Child> children = new ArrayList<>();
    try {
      for (int i = 1; i <= spec.workers(); i++) {
        children.add(Child.start(spec, ctx, fresh, i));
      }
      for (Child c : children) {
        c.awaitReady(Duration.ofMinutes(3));
      }
    } catch (RuntimeException e) {
      children.forEach(Child::close);
      throw e;
    }
    return () -> children.forEach(Child::close);
  }

  /** One worker JVM ({@link BenchWorker}), as an operator would start one on another machine. */
  private record Child(String name, Process process, Path log) {

    static Child start(Spec spec, Context ctx, FreshDatabases.Fresh fresh, int index) {
      String name = "bench-" + spec.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + index;
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.addAll(BenchWorker.JVM_OPTIONS);
      cmd.add("-Djava.awt.headless=true");
      cmd.add("-Dlogback.configurationFile=" + logbackConfig(ctx.logDir()));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(BenchWorker.class.getName());
      Map<String, String> env = new HashMap<>(ctx.childEnv());
      env.put(DbSettings.URL, fresh.jdbcUrl());
      if (fresh.user() != null) {
        env.put(DbSettings.USER, fresh.user());
      }
      if (fresh.password() != null) {
        env.put(DbSettings.PASSWORD, fresh.password());
      }
      env.put(WorkerSettings.NAME, name);
      env.put(WorkerSettings.CONCURRENCY, Integer.toString(spec.concurrency()));
      try {
        Files.createDirectories(ctx.logDir());
        Path log = ctx.logDir().resolve(name + ".log");
        ProcessBuilder pb =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Child(name, pb.start(), log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void awaitReady(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String out = output();
        if (out.contains(BenchWorker.READY)) {
          return;
        }
        if (!process.isAlive()) {
          throw new PermanentException(
              "bench: worker "
                  + name
                  + " exited before it was ready; see "
                  + log
                  + "\n"
                  + tail(out));
        }
        pause(Duration.ofMillis(200));
      }
      throw new PermanentException("bench: worker " + name + " not ready after " + timeout);
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    /** Closing stdin asks the worker to drain and exit. */
    void close() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    private static String tail(String s) {
      return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
  }

  /** INFO to the child's log file: JobRunr's DEBUG lines would drown the worker's own. */
  static Path logbackConfig(Path logDir) {
    Path file = logDir.resolve("bench-worker-logback.xml");
    try {
      Files.createDirectories(logDir);
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentException("bench: interrupted");
    }
  }
}
