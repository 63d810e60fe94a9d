package io.codegloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.QueueTiming;
import io.codegloss.core.store.EnrichmentTable;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.SchedulerSettings;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.worker.job.BatchPause;
import io.codegloss.worker.job.WorkerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak: many single-span jobs through worker processes while faults are injected, then a proof
 * that every span settled exactly once. Workers are {@link BenchWorker}s (the production worker in
 * its own JVM) answered by the {@link FixedLatencyEndpoint} (no model: this measures the queue and
 * its fault handling, not notes); the database is an embedded PostgreSQL of the soak alone, so that
 * it can be stopped. Faults: one worker SIGKILLed every {@code --kill-every} seconds and started
 * again, and the database stopped once for {@code --outage-seconds}.
 *
 * <p>Run: {@code java -cp cli/target/codegloss.jar io.codegloss.bench.Soak [--jobs 10000]
 * [--workers 4] [--concurrency 2] [--latency-ms 50] [--kill-every 30] [--outage-after 60]
 * [--outage-seconds 30] [--timeout-minutes 120] [--output DIR]}. Exit 0 when nothing was lost,
 * noted twice or completed twice; 1 otherwise.
 */
public final class Soak {

  /** Settings of the soak's processes: JobRunr gives a dead worker's job away after 20 s. */
  static final Map<String, String> SETTINGS =
      Map.of(
          PlanSettings.ENABLED, "off",
          QueueTiming.POLL_SECONDS, "5",
          QueueTiming.TIMEOUT_MULTIPLICAND, "4",
          RetryPolicy.BASE_SECONDS, "2",
          BatchPause.AFTER, "0");

  record Options(
      int jobs,
      int workers,
      int concurrency,
      int latencyMs,
      int killEverySeconds,
      int outageAfterSeconds,
      int outageSeconds,
      int timeoutMinutes,
      Path output) {

    static Options parse(String[] args) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException(
              "usage: Soak [--jobs N] [--workers N] ... (see bench/README.md)");
        }
        m.put(args[i].substring(2), args[++i]);
      }
      return new Options(
          Integer.parseInt(m.getOrDefault("jobs", "10000")),
          Integer.parseInt(m.getOrDefault("workers", "4")),
          Integer.parseInt(m.getOrDefault("concurrency", "2")),
          Integer.parseInt(m.getOrDefault("latency-ms", "50")),
          Integer.parseInt(m.getOrDefault("kill-every", "30")),
          Integer.parseInt(m.getOrDefault("outage-after", "60")),
          Integer.parseInt(m.getOrDefault("outage-seconds", "30")),
          Integer.parseInt(m.getOrDefault("timeout-minutes", "120")),
          Path.of(m.getOrDefault("output", "bench/results/" + LocalDate.now() + "/soak"))
              .toAbsolutePath());
    }
  }

  private final Options o;
  private final List<Map<String, Object>> faults = new ArrayList<>();
  private Instant t0 = Instant.now();

  private Soak(Options o) {
    this.o = o;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = new Soak(Options.parse(args)).run();
    } catch (IllegalArgumentException | CodeglossException e) {
      System.err.println("soak: " + e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  private int run() {
    Path work = tempDir();
    EmbeddedPostgres.Options pgOptions =
        EmbeddedPostgres.Options.of(work.resolve("pg"))
            .withBinariesCache(
                Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "codegloss-pg-bin-" + System.getProperty("user.name")))
            .withServerSettings(Map.of("fsync", "off", "synchronous_commit", "off"));
    String loadBefore = loadAverage();
    EmbeddedPostgres pg = EmbeddedPostgres.start(pgOptions);
    List<Worker> workers = new ArrayList<>();
    try (FixedLatencyEndpoint endpoint =
            FixedLatencyEndpoint.start(Duration.ofMillis(o.latencyMs()));
        Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), 8, "soak")) {
      DbMigrations.apply(db.dataSource());
      Settings s = Settings.of(SETTINGS);
      Path corpus = writeCorpus(work.resolve("corpus"), o.jobs());
      long repoId = new Indexer(db, IndexSettings.from(s)).index(corpus).repoId();
      int spans = SpanSelection.first(db, o.jobs()).apply(db);
      log("%d spans indexed; %s, %d ms per call", spans, FixedLatencyEndpoint.LABEL, o.latencyMs());

      Map<String, String> env = childEnv(pg, work, endpoint);
      for (int i = 1; i <= o.workers(); i++) {
        workers.add(Worker.start("soak-w" + i, env, o.concurrency(), work.resolve("logs")));
      }
      for (Worker w : workers) {
        w.awaitReady(Duration.ofMinutes(3));
      }
      Queue client = Queue.openClientOnly(db.dataSource());
      JobEnqueuer enqueuer = new JobEnqueuer(db, client);
      EnqueueService enqueue =
          new EnqueueService(db, new BatchPlanner(PlanSettings.from(s)), enqueuer);
      SchedulerSettings scheduling = SchedulerSettings.from(s);
      QueueTiming timing = scheduling.timing();
      Instant t1;
      boolean timedOut = false;
      try (SchedulerProcess scheduler =
          new SchedulerProcess(
              db,
              client,
              enqueue,
              new Sweeper(
                  db,
                  enqueuer,
                  scheduling.lostJobSeconds(),
                  new SpanFailureTable(scheduling.retry())),
              root -> repoId,
              new SchedulerProcess.Options(
                  Runner.TICK,
                  0,
                  null,
                  null,
                  timing.pollSeconds(),
                  timing.timeoutMultiplicand(),
                  timing.retries()))) {
        t0 = Instant.now();
        // Enqueueing 10,000 jobs takes minutes while workers already run them: the faults start
        // with it. An enqueue cut short by the outage is finished by the scheduler's rounds.
        Thread enqueuing =
            new Thread(
                () -> {
                  try {
                    enqueue.enqueue(repoId);
                    log("%d jobs enqueued in %.1f s", spans, seconds(Instant.now()));
                  } catch (CodeglossException e) {
                    log("enqueue cut short (the scheduler enqueues the rest): %s", e.oneLine());
                  }
                },
                "soak-enqueue");
        enqueuing.start();
        scheduler.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(o.timeoutMinutes());
        long nextKill = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.killEverySeconds());
        long outageAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.outageAfterSeconds());
        long outageEnd = Long.MAX_VALUE;
        boolean outageDone = o.outageSeconds() <= 0;
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int victim = 0;
        while (true) {
          long now = System.nanoTime();
          if (!outageDone && outageEnd == Long.MAX_VALUE && now >= outageAt) {
            fault("database stopped");
            pg.stop();
            outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.outageSeconds());
          } else if (!outageDone && now >= outageEnd) {
            pg = EmbeddedPostgres.start(pgOptions);
            fault("database started");
            outageDone = true;
          }
          if (now >= nextKill) {
            Worker w = workers.get(victim % workers.size());
            w.kill9();
            fault("SIGKILL " + w.name());
            workers.set(victim % workers.size(), w.restart());
            victim++;
            nextKill += TimeUnit.SECONDS.toNanos(o.killEverySeconds());
          }
          // A worker started while the database was down exits at once ("cannot connect"): like a
          // supervisor, start it again.
          for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            if (!w.alive() && w.exitedFor(Duration.ofSeconds(2))) {
              fault("restart " + w.name() + " after it exited with " + w.exitCode());
              workers.set(i, w.restart());
            }
          }
          if (outageDone && !enqueuing.isAlive() && settled(db)) {
            break;
          }
          if (now > deadline) {
            timedOut = true;
            log("timed out after %d minutes", o.timeoutMinutes());
            break;
          }
          if (now > nextReport) {
            try {
              long[] p = Measure.progress(db);
              log("%d/%d spans enriched, %d LLM calls", p[1], p[0], p[2]);
            } catch (CodeglossException e) {
              log("progress unavailable: %s", e.oneLine());
            }
            nextReport = now + TimeUnit.SECONDS.toNanos(15);
          }
          Runner.pause(Duration.ofMillis(500));
        }
        t1 = Instant.now();
      } finally {
        workers.forEach(Worker::close);
      }
      Map<String, Object> report =
          report(db, endpoint, spans, Duration.between(t0, t1), timedOut, loadBefore);
      write(report);
      @SuppressWarnings("unchecked")
      Map<String, Object> proof = (Map<String, Object>) report.get("exactly_once");
      return Boolean.TRUE.equals(proof.get("holds")) ? 0 : 1;
    } finally {
      workers.forEach(Worker::close);
      if (EmbeddedPostgres.isRunning(pgOptions.home())) {
        pg.stop();
      }
    }
  }

  private static boolean settled(Database db) {
    try {
      return Measure.finished(db);
    } catch (CodeglossException e) {
      return false; // the database is away
    }
  }

  private Map<String, Object> report(
      Database db,
      FixedLatencyEndpoint endpoint,
      int spans,
      Duration wall,
      boolean timedOut,
      String loadBefore) {
    Measure.Volume v = Measure.volume(db);
    EnrichmentTable.Totals notes = db.withConnection(EnrichmentTable::totals);
    long twice = db.withConnection(LlmCallTable::jobsCompletedMoreThanOnce);
    double secs = wall.toMillis() / 1000.0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("benchmark", "soak");
    m.put("model", FixedLatencyEndpoint.LABEL + ", " + o.latencyMs() + " ms per call");
    m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("load_average_before", loadBefore);
    m.put("load_average_after", loadAverage());
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("jobs", spans);
    setup.put("job_kind", "single-span (RAG_BATCH_ENRICHMENT=off)");
    setup.put("worker_processes", o.workers());
    setup.put("jobs_at_once_per_worker", o.concurrency());
    setup.put("sigkill_every_seconds", o.killEverySeconds());
    setup.put(
        "database_outage",
        o.outageSeconds() + " s, " + o.outageAfterSeconds() + " s after the first enqueue");
    setup.put("settings", new LinkedHashMap<>(SETTINGS));
    setup.put("database", "embedded PostgreSQL of the soak alone, fsync off");
    m.put("setup", setup);
    m.put("faults", faults);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("wall_seconds", Math.round(secs * 10) / 10.0);
    r.put("jobs_per_second", Math.round(v.enriched() / secs * 100) / 100.0);
    r.put("spans", v.spans());
    r.put("spans_enriched", v.enriched());
    r.put("spans_failed", v.failed());
    r.put("spans_lost", v.lost());
    r.put("llm_calls", v.calls());
    r.put("endpoint_requests", endpoint.requests());
    r.put("notes", notes.notes());
    r.put("timed_out", timedOut);
    m.put("results", r);
    Map<String, Object> proof = new LinkedHashMap<>();
    proof.put("spans_lost", v.lost());
    proof.put("spans_failed", v.failed());
    proof.put("spans_with_two_notes", notes.spansNotedTwice());
    proof.put("notes_minus_spans", notes.notes() - v.spans());
    proof.put("jobs_completed_more_than_once", twice);
    proof.put(
        "holds",
        !timedOut
            && v.lost() == 0
            && v.failed() == 0
            && notes.spansNotedTwice() == 0
            && notes.notes() == v.spans()
            && twice == 0);
    m.put("exactly_once", proof);
    return m;
  }

  private void write(Map<String, Object> report) {
    try {
      Files.createDirectories(o.output());
      Path file = o.output().resolve("soak-report.json");
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      json.writeValue(file.toFile(), report);
      System.out.println(json.writeValueAsString(report));
      log("report written to %s", file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void fault(String what) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("at_seconds", Math.round(seconds(Instant.now()) * 10) / 10.0);
    f.put("fault", what);
    faults.add(f);
    log("fault: %s", what);
  }

  private double seconds(Instant now) {
    return Duration.between(t0, now).toMillis() / 1000.0;
  }

  private void log(String format, Object... args) {
    System.err.printf("soak [%6.1f s]: %s%n", seconds(Instant.now()), String.format(format, args));
  }

  private Map<String, String> childEnv(EmbeddedPostgres pg, Path work, FixedLatencyEndpoint e) {
    Map<String, String> env = new HashMap<>(SETTINGS);
    env.put("CODEGLOSS_BACKEND", "openai");
    env.put("OPENAI_BASE_URL", e.baseUrl());
    env.put("CODEGLOSS_MODEL", e.modelName());
    env.put("OPENAI_API_KEY", ""); // never send a real key to the soak's own endpoint
    env.put("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema");
    env.put(DbSettings.URL, pg.jdbcUrl());
    env.put(DbSettings.USER, pg.user());
    env.put(DbSettings.PASSWORD, pg.password());
    env.put(Databases.HOME, work.resolve("home").toString());
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
    return env;
  }

  /** {@code files} modules of 100 one-line functions each: one span per function. */
  static Path writeCorpus(Path dir, int spans) {
    try {
      Files.createDirectories(dir);
      int files = (spans + 99) / 100;
      for (int f = 0; f < files; f++) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
          b.append(String.format("def f_%04d_%02d(x):%n    return x + %d%n%n%n", f, i, i));
        }
        Files.writeString(dir.resolve(String.format("mod_%04d.py", f)), b.toString());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("codegloss-soak");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One worker JVM; {@link #restart} starts a new one under the same name. */
  private static final class Worker implements AutoCloseable {
    private final String name;
    private final Map<String, String> env;
    private final int concurrency;
    private final Path logDir;
    private final Process process;
    private final Path log;
    private long exitSeenAt;

    private Worker(
        String name,
        Map<String, String> env,
        int concurrency,
        Path logDir,
        Process process,
        Path log) {
      this.name = name;
      this.env = env;
      this.concurrency = concurrency;
      this.logDir = logDir;
      this.process = process;
      this.log = log;
    }

    static Worker start(String name, Map<String, String> env, int concurrency, Path logDir) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx256m");
      cmd.add("-Djava.awt.headless=true");
      cmd.add("-Dlogback.configurationFile=" + Runner.logbackConfig(logDir));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(BenchWorker.class.getName());
      Map<String, String> e = new HashMap<>(env);
      e.put(WorkerSettings.NAME, name);
      e.put(WorkerSettings.CONCURRENCY, Integer.toString(concurrency));
      try {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(e);
        return new Worker(name, env, concurrency, logDir, pb.start(), log);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    String name() {
      return name;
    }

    boolean alive() {
      return process.isAlive();
    }

    int exitCode() {
      return process.isAlive() ? -1 : process.exitValue();
    }

    /** Whether it has been seen dead for at least {@code d} (a supervisor's restart delay). */
    boolean exitedFor(Duration d) {
      if (exitSeenAt == 0) {
        exitSeenAt = System.nanoTime();
      }
      return System.nanoTime() - exitSeenAt >= d.toNanos();
    }

    Worker restart() {
      return start(name, env, concurrency, logDir);
    }

    void awaitReady(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String out;
        try {
          out = Files.readString(log);
        } catch (IOException e) {
          out = "";
        }
        if (out.contains(BenchWorker.READY)) {
          return;
        }
        if (!process.isAlive()) {
          throw new PermanentException("soak: worker " + name + " exited; see " + log);
        }
        Runner.pause(Duration.ofMillis(200));
      }
      throw new PermanentException("soak: worker " + name + " not ready after " + timeout);
    }

    /** SIGKILL: no drain, no goodbye, as a power cut. */
    void kill9() {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Closing stdin asks the worker to drain and exit. */
    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          kill9();
        }
      } catch (IOException e) {
        kill9();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill9();
      }
    }
  }
}
