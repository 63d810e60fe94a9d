package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.report.QueueHealth;
import io.codegloss.core.report.StatsQuery;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.dashboard.DashboardServer;
import io.codegloss.dashboard.DashboardSettings;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.scheduler.index.IndexReport;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.index.RepoQueries;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.plan.PlannedBatch;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.worker.enrich.EnrichmentQueries;
import io.codegloss.worker.job.EnrichJobRunner;
import io.codegloss.worker.job.EnrichmentPipeline;
import io.codegloss.worker.job.WorkerIdentity;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** One method per command; each wires what it needs by constructor and nothing more. */
final class Commands {

  private static final Map<String, String> WORKER_FLAGS =
      Map.of(
          "max-tokens", "CODEGLOSS_WORKER_MAX_TOKENS",
          "concurrency", "CODEGLOSS_WORKER_CONCURRENCY",
          "backend", "CODEGLOSS_BACKEND",
          "model", "CODEGLOSS_MODEL",
          "name", "CODEGLOSS_WORKER_NAME");
  private static final Map<String, String> DB_FLAGS = Map.of("db-url", "CODEGLOSS_DB_URL");

  private final Args args;
  private final Map<String, String> env;
  private final Path home;
  private final Printer out;

  Commands(Args args, Map<String, String> env, Path home, Printer out) {
    this.args = args;
    this.env = env;
    this.home = home;
    this.out = out;
  }

  int run() {
    // bench has flags of its own and prints them itself
    if (args.command().equals("help") || (args.has("help") && !args.command().equals("bench"))) {
      out.line(Usage.TEXT);
      return 0;
    }
    return switch (args.command()) {
      case "index" -> index();
      case "status" -> status();
      case "spans" -> spans();
      case "plan" -> plan();
      case "enqueue" -> enqueue();
      case "scheduler" -> scheduler();
      case "worker" -> worker();
      case "dashboard" -> dashboard();
      case "up" -> new UpCommand(this).run();
      case "show" -> show();
      case "stats" -> stats();
      case "bench" -> io.codegloss.bench.Bench.run(args.raw(), env, out.out(), System.err);
      case "version", "--version" -> {
        out.line("codegloss " + CodeglossMain.VERSION);
        yield 0;
      }
      default ->
          throw new ConfigException(
              "unknown command '" + args.command() + "' (run 'codegloss help')");
    };
  }

  // ---- wiring helpers -------------------------------------------------------------------

  Args args() {
    return args;
  }

  Printer out() {
    return out;
  }

  Path home() {
    return home;
  }

  Map<String, String> env() {
    return env;
  }

  /** Settings with this command's flags mapped to their variable names. */
  Settings settings(Map<String, String> flagToVariable) {
    Map<String, String> flags = new HashMap<>();
    Map<String, String> known = new HashMap<>(flagToVariable);
    known.putAll(DB_FLAGS);
    for (Map.Entry<String, String> f : known.entrySet()) {
      args.flag(f.getKey()).ifPresent(v -> flags.put(f.getValue(), v));
    }
    Path config =
        args.flag("config")
            .map(Path::of)
            .orElseGet(
                () ->
                    Path.of(
                        env.getOrDefault(
                            "CODEGLOSS_CONFIG", home.resolve("config.properties").toString())));
    if (args.flag("config").isPresent() && !Files.isRegularFile(config)) {
      throw new ConfigException("config file " + config + " does not exist");
    }
    return Settings.load(flags, env, config);
  }

  OpenDatabase openDatabase(Settings settings, String pool, int poolSize) {
    // Migrations hold an advisory lock on one connection while Flyway uses two more.
    OpenDatabase db = Databases.open(DbSettings.from(settings), home, pool, Math.max(poolSize, 4));
    DbMigrations.apply(db.database().dataSource());
    return db;
  }

  static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new HashMap<>(a);
    m.putAll(b);
    return m;
  }

  void allow(String... flags) {
    args.allowOnly(Set.of(flags));
  }

  Path pathArg(int index, String fallback) {
    Path p = Path.of(args.positional(index).orElse(fallback)).toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new ConfigException("not a directory: " + p);
    }
    return p;
  }

  // ---- commands -------------------------------------------------------------------------

  private int index() {
    allow("json", "db-url", "max-file-bytes");
    Settings s = settings(Map.of("max-file-bytes", "CODEGLOSS_MAX_FILE_BYTES"));
    Path root = pathArg(0, ".");
    try (OpenDatabase db = openDatabase(s, "index", 4)) {
      IndexReport report = new Indexer(db.database(), IndexSettings.from(s)).index(root);
      if (args.has("json")) {
        out.json(report);
      } else {
        Reports.index(out, root, report);
      }
    }
    return 0;
  }

  private int status() {
    allow("json", "db-url");
    Settings s = settings(Map.of());
    try (OpenDatabase db = openDatabase(s, "status", 2)) {
      var repos = new RepoQueries(db.database()).status();
      QueueHealth.Snapshot queue =
          new QueueHealth(db.database(), s.intValue("CODEGLOSS_WORKER_DEAD_SECONDS", 45, 5, 86_400))
              .snapshot();
      if (args.has("json")) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("repositories", repos);
        json.put("queue", queue);
        out.json(json);
      } else {
        Reports.status(out, repos, queue);
      }
    }
    return 0;
  }

  private int spans() {
    allow("json", "db-url");
    Settings s = settings(Map.of());
    String file = args.positional(0).orElse(null);
    Path cwd = Path.of("").toAbsolutePath();
    try (OpenDatabase db = openDatabase(s, "spans", 2)) {
      RepoQueries q = new RepoQueries(db.database());
      Path anchor = file == null ? cwd : cwd.resolve(file).normalize();
      long repoId =
          q.repoIdFor(anchor)
              .orElseThrow(
                  () ->
                      new PermanentException(
                          anchor
                              + " is not inside an indexed repository (run 'codegloss index PATH')"));
      Path root =
          q.status().stream()
              .filter(r -> r.repoId() == repoId)
              .map(r -> Path.of(r.root()))
              .findFirst()
              .orElseThrow();
      String relative = file == null ? null : root.relativize(anchor).toString().replace('\\', '/');
      var spans = q.spans(root, relative);
      if (args.has("json")) {
        out.json(spans);
      } else {
        Reports.spans(out, spans);
      }
    }
    return 0;
  }

  private int plan() {
    allow(
        merge(Map.of("json", "", "db-url", ""), PlanSettings.FLAGS)
            .keySet()
            .toArray(String[]::new));
    Settings s = settings(PlanSettings.FLAGS);
    PlanSettings plan = PlanSettings.from(s);
    Path root = pathArg(0, ".");
    try (OpenDatabase db = openDatabase(s, "plan", 2)) {
      long repoId = requireRepo(db.database(), root);
      Queue queue = Queue.openClientOnly(db.database().dataSource());
      EnqueueService svc =
          new EnqueueService(
              db.database(),
              new BatchPlanner(plan),
              new JobEnqueuer(db.database(), queue.scheduler()));
      List<PlannedBatch> batches = svc.plan(repoId);
      if (args.has("json")) {
        out.json(Map.of("batches", Reports.planJson(batches)));
      } else {
        Reports.plan(out, batches);
      }
    }
    return 0;
  }

  long requireRepo(Database db, Path root) {
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

  private int enqueue() {
    allow(
        merge(Map.of("json", "", "db-url", "", "full", "", "retry-failed", ""), PlanSettings.FLAGS)
            .keySet()
            .toArray(String[]::new));
    Settings s = settings(PlanSettings.FLAGS);
    PlanSettings plan = PlanSettings.from(s);
    Path root = pathArg(0, ".");
    try (OpenDatabase db = openDatabase(s, "enqueue", 4)) {
      long repoId = new Indexer(db.database(), IndexSettings.from(s)).index(root).repoId();
      Queue queue = Queue.openClientOnly(db.database().dataSource());
      EnqueueService svc =
          new EnqueueService(
              db.database(),
              new BatchPlanner(plan),
              new JobEnqueuer(db.database(), queue.scheduler()));
      int generation = args.has("full") ? svc.bumpGeneration(repoId) : -1;
      // A whole re-enrichment is a fresh start: spans that failed before are tried again too.
      int retried = args.has("full") || args.has("retry-failed") ? svc.retryFailures(repoId) : 0;
      EnqueueService.Result r = svc.enqueue(repoId);
      if (args.has("json")) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("repository", root.toString());
        json.put("full", args.has("full"));
        json.put("failed_spans_offered_again", retried);
        if (generation > 0) {
          json.put("generation", generation);
        }
        json.put("result", r);
        out.json(json);
      } else {
        if (retried > 0) {
          out.linef("%s: %d failed spans offered again", root, retried);
        }
        out.linef(
            "%s: %d pending spans -> %d batches + %d single-span jobs; %d new jobs enqueued, %d already queued",
            root, r.pendingSpans(), r.batches(), r.singles(), r.newJobs(), r.existingJobs());
      }
    }
    return 0;
  }

  SchedulerProcess.Options schedulerOptions(Settings s, int jobrunrPort) {
    return new SchedulerProcess.Options(
        Duration.ofSeconds(s.intValue("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", 30, 1, 86_400)),
        jobrunrPort,
        s.optional("CODEGLOSS_JOBRUNR_DASHBOARD_USER").orElse(null),
        s.optional("CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD").orElse(null),
        s.intValue("CODEGLOSS_POLL_SECONDS", 5, 5, 3600),
        s.intValue("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", 12, 4, 1000),
        s.intValue("CODEGLOSS_JOB_RETRIES", 3, 0, 20));
  }

  WorkerProcess.ServerTiming timing(Settings s) {
    return new WorkerProcess.ServerTiming(
        s.intValue("CODEGLOSS_POLL_SECONDS", 5, 5, 3600),
        s.intValue("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", 12, 4, 1000),
        s.intValue("CODEGLOSS_JOB_RETRIES", 3, 0, 20));
  }

  SchedulerProcess newScheduler(Settings s, Database db, Queue queue, int jobrunrPort) {
    return newScheduler(s, db, queue, jobrunrPort, null);
  }

  SchedulerProcess newScheduler(
      Settings s, Database db, Queue queue, int jobrunrPort, java.time.Instant noRetrySince) {
    PlanSettings plan = PlanSettings.from(s);
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue.scheduler());
    Indexer indexer = new Indexer(db, IndexSettings.from(s));
    return new SchedulerProcess(
        db,
        queue,
        new EnqueueService(db, new BatchPlanner(plan), enqueuer, noRetrySince),
        new Sweeper(
            db,
            enqueuer,
            s.intValue("CODEGLOSS_LOST_JOB_SECONDS", 120, 10, 86_400),
            new SpanFailureTable(RetryPolicy.fromSettings(s))),
        root -> indexer.index(root).repoId(),
        schedulerOptions(s, jobrunrPort));
  }

  private int scheduler() {
    Map<String, String> flags =
        merge(
            Map.of(
                "jobrunr-port", "CODEGLOSS_JOBRUNR_PORT",
                "interval-seconds", "CODEGLOSS_SCHEDULER_INTERVAL_SECONDS"),
            PlanSettings.FLAGS);
    allow(merge(flags, Map.of("db-url", "")).keySet().toArray(String[]::new));
    Settings s = settings(flags);
    int port = s.intValue("CODEGLOSS_JOBRUNR_PORT", 8000, 0, 65_535);
    try (OpenDatabase db = openDatabase(s, "scheduler", 8)) {
      Queue queue = Queue.openClientOnly(db.database().dataSource());
      try (SchedulerProcess scheduler = newScheduler(s, db.database(), queue, port)) {
        scheduler.start();
        out.progress(
            "codegloss scheduler running"
                + (port > 0 ? "; JobRunr dashboard on http://localhost:" + port + "/dashboard" : "")
                + " (Ctrl-C to stop)");
        awaitShutdown();
      }
    }
    return 0;
  }

  WorkerIdentity identity(Settings s, LlmBackend backend) {
    String host = hostName();
    String name =
        s.optional("CODEGLOSS_WORKER_NAME").orElse(host + "-" + ProcessHandle.current().pid());
    int maxTokens =
        s.intValue("CODEGLOSS_WORKER_MAX_TOKENS", backend.contextWindow(), 256, 10_000_000);
    if (maxTokens > backend.contextWindow()) {
      throw new ConfigException(
          "CODEGLOSS_WORKER_MAX_TOKENS (--max-tokens) is "
              + maxTokens
              + " but the model's context window is "
              + backend.contextWindow()
              + "; a job can be at most that large");
    }
    int concurrency = s.intValue("CODEGLOSS_WORKER_CONCURRENCY", 1, 1, 256);
    return new WorkerIdentity(name, host, maxTokens, concurrency);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  WorkerProcess newWorker(Settings s, Database db, LlmBackend backend) {
    WorkerIdentity identity = identity(s, backend);
    Queue queue = Queue.open(db.dataSource(), identity::maxTokens);
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue.scheduler());
    EnrichJobRunner runner =
        new EnrichJobRunner(db, backend, identity, enqueuer, EnrichmentPipeline.create(backend, s));
    return new WorkerProcess(
        db,
        queue,
        identity,
        runner,
        backend.name(),
        backend.model(),
        CodeglossMain.VERSION,
        timing(s));
  }

  private int worker() {
    allow(
        merge(WORKER_FLAGS, Map.of("db-url", "", "until-idle", ""))
            .keySet()
            .toArray(String[]::new));
    Settings s = settings(WORKER_FLAGS);
    try (OpenDatabase db = openDatabase(s, "worker", 4);
        LlmBackend backend = LlmBackends.create(s, home)) {
      WorkerProcess worker = newWorker(s, db.database(), backend);
      worker.start();
      Duration grace = Duration.ofSeconds(s.intValue("CODEGLOSS_DRAIN_SECONDS", 120, 0, 86_400));
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                out.progress(
                    "codegloss worker: draining (finishing running jobs, taking no new ones)");
                worker.drain(grace);
                stopped.countDown();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      out.progress(
          "codegloss worker running: backend "
              + backend.name()
              + ", model "
              + backend.model()
              + (args.has("until-idle")
                  ? "; exits when no job is left"
                  : " (Ctrl-C drains and stops)"));
      if (args.has("until-idle")) {
        waitUntilIdle(worker);
        Runtime.getRuntime().removeShutdownHook(hook);
        worker.drain(grace);
      } else {
        awaitQuietly(stopped);
      }
    }
    return 0;
  }

  /** Idle twice in a row, a poll apart, so that a job enqueued between two checks is not missed. */
  static void waitUntilIdle(WorkerProcess worker) {
    int idleChecks = 0;
    while (idleChecks < 2) {
      sleep(Duration.ofSeconds(3));
      idleChecks = worker.idle() ? idleChecks + 1 : 0;
    }
  }

  private int dashboard() {
    allow("port", "db-url");
    Settings s = settings(Map.of("port", "CODEGLOSS_DASHBOARD_PORT"));
    int port = s.intValue("CODEGLOSS_DASHBOARD_PORT", 7070, 0, 65_535);
    try (OpenDatabase db = openDatabase(s, "dashboard", 4)) {
      DashboardServer server = new DashboardServer(db.database(), DashboardSettings.from(s));
      server.start(port);
      out.progress(
          "codegloss dashboard on http://localhost:" + server.port() + "/ (Ctrl-C to stop)");
      awaitShutdown();
      server.stop();
    }
    return 0;
  }

  private int show() {
    allow("json", "db-url");
    Settings s = settings(Map.of());
    String what =
        args.positional(0)
            .orElseThrow(
                () -> new ConfigException("usage: codegloss show SYMBOL | FILE[:LINE] [--json]"));
    Path cwd = Path.of("").toAbsolutePath();
    try (OpenDatabase db = openDatabase(s, "show", 2)) {
      RepoQueries q = new RepoQueries(db.database());
      long repoId =
          q.repoIdFor(cwd)
              .or(() -> q.repoIdFor(cwd.resolve(what.replaceAll(":\\d+$", "")).normalize()))
              .orElseThrow(
                  () ->
                      new PermanentException(
                          "run 'show' inside an indexed repository (or index one first)"));
      String query = what;
      String file = what.replaceAll(":\\d+$", "");
      Path asPath = cwd.resolve(file).normalize();
      if (Files.isRegularFile(asPath)) {
        // A file given by path (absolute or from here) is looked up relative to its repository.
        Path root =
            q.status().stream()
                .filter(r -> r.repoId() == repoId)
                .map(r -> Path.of(r.root()))
                .findFirst()
                .orElseThrow();
        query =
            root.relativize(asPath).toString().replace('\\', '/') + what.substring(file.length());
      }
      var shown = EnrichmentQueries.show(db.database(), repoId, query);
      if (shown.isEmpty()) {
        throw new PermanentException("no span matches '" + what + "' (try 'codegloss spans')");
      }
      if (args.has("json")) {
        out.json(shown);
      } else {
        out.line(shown.render());
      }
    }
    return 0;
  }

  private int stats() {
    allow("json", "db-url");
    Settings s = settings(Map.of());
    try (OpenDatabase db = openDatabase(s, "stats", 2)) {
      List<StatsQuery.Row> rows = new StatsQuery(db.database()).byModeModelWorker();
      if (args.has("json")) {
        out.json(Map.of("rows", rows));
      } else {
        Reports.stats(out, rows);
      }
    }
    return 0;
  }

  int promptVersion() {
    return EnrichmentSchema.PROMPT_VERSION;
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
          m.put("spans_enriched", states.enriched());
          m.put("spans_failed", states.failed());
          m.put("calls", calls.calls());
          m.put("prompt_tokens", calls.promptTokens());
          m.put("completion_tokens", calls.completionTokens());
          m.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
          return m;
        });
  }

  static List<String> none() {
    return new ArrayList<>();
  }
}
