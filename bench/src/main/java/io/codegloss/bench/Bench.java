package io.codegloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.queue.QueueTiming;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.worker.job.BatchPause;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.job.Workers;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code codegloss bench}: enriches the same spans once per mode (one span per call, batched with
 * the seed's rules, batched with concurrent requests), each in a fresh database with the same
 * model, worker limits and settings; measures calls, tokens, time, validity, cost against the floor
 * and quality; then measures the queue itself with 1, 2 and 4 worker processes against a {@link
 * FixedLatencyEndpoint} and against the real model. Progress goes to stderr; the report is written
 * to the output folder and printed (Markdown, or JSON with {@code --json}).
 */
public final class Bench {

  /** Benchmark defaults laid under the user's settings so that a run ends in bounded time. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          // production retries a failed span after 30 s, 60 s, ... up to 8 times
          RetryPolicy.BASE_SECONDS, "2",
          RetryPolicy.MAX_ATTEMPTS, "2",
          // the modes compare the seed's batching with one span per call: every planned batch is
          // sent, even for a model whose batches keep failing (production pauses those after 3)
          BatchPause.AFTER, "0");

  private final BenchOptions options;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  private Bench(BenchOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
    this.options = options;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code codegloss bench} with checked options (see {@link BenchFlags}); returns the exit
   * code: 0 done, 1 failed, 2 configuration error. Progress and errors go to {@code err}.
   */
  public static int run(
      BenchOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      return new Bench(options, env, out, err).execute();
    } catch (ConfigException e) {
      err.println("codegloss: " + e.oneLine());
      return 2;
    } catch (CodeglossException e) {
      err.println("codegloss: " + e.oneLine());
      return 1;
    }
  }

  private int execute() {
    System.setProperty("java.awt.headless", "true");
    Settings settings = settings();
    Path home = Databases.home(settings);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path outDir =
        (options.output() != null ? options.output() : Path.of("bench", "out", stamp))
            .toAbsolutePath()
            .normalize();
    Path work = tempDir();
    Path logDir = outDir.resolve("logs");
    Corpus corpus =
        options.corpus() != null
            ? Corpus.of(options.corpus())
            : Corpus.pythonStdlib(work.resolve("corpus"));
    err.println("bench: corpus " + corpus.description());
    err.println("bench: output " + outDir);

    List<RunResult> modes = new ArrayList<>();
    List<RunResult> fixedScaling = new ArrayList<>();
    List<RunResult> modelScaling = new ArrayList<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    Duration timeout = Duration.ofMinutes(options.timeoutMinutes());
    try (FreshDatabases dbs = FreshDatabases.open(DbSettings.from(settings), home);
        FixedLatencyEndpoint endpoint =
            FixedLatencyEndpoint.start(Duration.ofMillis(options.latencyMillis()))) {
      err.println("bench: databases on " + dbs.where());
      SpanSelection spans = select(dbs, corpus, settings);
      err.println("bench: " + spans.size() + " spans selected");
      String fixedLabel =
          FixedLatencyEndpoint.LABEL + ", " + options.latencyMillis() + " ms per call";
      Map<String, String> fixedEnv = fixedLatencyEnv(endpoint);
      Checkpoints checkpoints =
          new Checkpoints(
              outDir, meta, corpus, spans, dbs, settings, modes, fixedScaling, modelScaling);

      String modelLabel = "n/a";
      if (!options.modes().isEmpty()) {
        Settings modeSettings =
            options.fixedLatency() ? settings.withFlags(fixedEnv) : withModeParallelism(settings);
        try (LlmBackend backend = LlmBackends.create(modeSettings, home)) {
          modelLabel = options.fixedLatency() ? fixedLabel : label(backend);
          Runner.Context ctx =
              new Runner.Context(
                  dbs,
                  corpus,
                  modeSettings,
                  backend,
                  modelLabel,
                  childEnv(home, Map.of()),
                  backend.exactTokenCounts()
                      ? backend::countTokens
                      : FixedLatencyEndpoint::estimateTokens,
                  backend.exactTokenCounts(),
                  logDir,
                  err,
                  timeout);
          // before the first run, so that every partial report carries it
          meta.put(
              "worker_limits",
              "max "
                  + Workers.maxTokens(WorkerSettings.from(modeSettings), backend)
                  + " tokens per job, context "
                  + backend.contextWindow()
                  + ", 1 job at a time (batch-x2: 2)");
          for (String mode : options.modes()) {
            boolean batching = !mode.equals(BenchOptions.SINGLE);
            int concurrency = mode.equals(BenchOptions.BATCH_X2) ? 2 : 1;
            modes.add(
                Runner.run(
                    new Runner.Spec(
                        mode,
                        batching,
                        1,
                        concurrency,
                        false,
                        spans,
                        options.docstringQuality(),
                        options.retrievalQuality()),
                    ctx));
            checkpoints.write(modelLabel);
          }
        }
      }
      if (options.scaling()) {
        Runner.Context fixedCtx =
            new Runner.Context(
                dbs,
                corpus,
                settings.withFlags(fixedEnv),
                null,
                fixedLabel,
                childEnv(home, fixedEnv),
                FixedLatencyEndpoint::estimateTokens,
                false,
                logDir,
                err,
                timeout);
        for (int w : options.workers()) {
          fixedScaling.add(
              Runner.run(
                  new Runner.Spec(
                      "fixed-latency-" + w + "w",
                      false,
                      w,
                      1,
                      true,
                      spans.limit(options.scalingLimit()),
                      false,
                      false),
                  fixedCtx));
          checkpoints.write(modelLabel);
        }
        if (options.realScalingLimit() > 0 && !options.fixedLatency()) {
          for (int w : options.realScalingWorkers()) {
            Map<String, String> modelEnv = new HashMap<>();
            modelEnv.put(LlmSettings.EMBEDDED_PARALLEL, "1");
            // One attempt per span: the backoff before a retry is deliberate waiting, not the
            // queue's overhead, and would be counted as time with no call in flight.
            if (!env.containsKey(RetryPolicy.MAX_ATTEMPTS)) {
              modelEnv.put(RetryPolicy.MAX_ATTEMPTS, "1");
            }
            if (settings.optional(LlmSettings.EMBEDDED_THREADS).isEmpty()) {
              // the workers share the machine's cores instead of each claiming all of them
              int cores = Runtime.getRuntime().availableProcessors();
              modelEnv.put(LlmSettings.EMBEDDED_THREADS, Integer.toString(Math.max(1, cores / w)));
            }
            Runner.Context modelCtx =
                new Runner.Context(
                    dbs,
                    corpus,
                    settings,
                    null,
                    modelLabel.equals("n/a") ? configuredModel(settings, home) : modelLabel,
                    childEnv(home, modelEnv),
                    FixedLatencyEndpoint::estimateTokens,
                    false,
                    logDir,
                    err,
                    timeout);
            modelScaling.add(
                Runner.run(
                    new Runner.Spec(
                        "model-" + w + "w",
                        true,
                        w,
                        1,
                        true,
                        spans.limit(options.realScalingLimit()),
                        false,
                        false),
                    modelCtx));
            checkpoints.write(modelLabel);
          }
        }
      }
      meta.putAll(meta(corpus, spans, modelLabel, dbs, settings));
      meta.putIfAbsent("worker_limits", "n/a");
    }
    Report report = report(meta, modes, fixedScaling, modelScaling);
    List<Path> files = report.write(outDir);
    deleteTree(work);
    if (options.json()) {
      try {
        out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report.json()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out.print(report.markdown());
    }
    err.println("bench: wrote " + files.stream().map(Path::toString).toList());
    return 0;
  }

  private Report report(
      Map<String, Object> meta,
      List<RunResult> modes,
      List<RunResult> fixedScaling,
      List<RunResult> modelScaling) {
    List<Measure.CallRow> modelCalls = new ArrayList<>();
    if (!options.fixedLatency()) {
      // concurrent calls share the CPU: only calls that ran alone show per-token costs
      modes.stream().filter(r -> r.concurrency() == 1).forEach(r -> modelCalls.addAll(r.calls()));
    }
    return new Report(
        meta,
        modes,
        fixedScaling,
        modelScaling,
        options.latencyMillis(),
        options.fixedLatency(),
        TimeModel.fit(modelCalls));
  }

  /**
   * Writes the report of the runs so far after each run, so that a long benchmark that is stopped
   * (or fails late) still leaves its measurements behind; the last write is the full report.
   */
  private final class Checkpoints {
    private final Path outDir;
    private final Map<String, Object> metaSoFar;
    private final Corpus corpus;
    private final SpanSelection spans;
    private final FreshDatabases dbs;
    private final Settings settings;
    private final List<RunResult> modes;
    private final List<RunResult> fixedScaling;
    private final List<RunResult> modelScaling;

    Checkpoints(
        Path outDir,
        Map<String, Object> metaSoFar,
        Corpus corpus,
        SpanSelection spans,
        FreshDatabases dbs,
        Settings settings,
        List<RunResult> modes,
        List<RunResult> fixedScaling,
        List<RunResult> modelScaling) {
      this.outDir = outDir;
      this.metaSoFar = metaSoFar;
      this.corpus = corpus;
      this.spans = spans;
      this.dbs = dbs;
      this.settings = settings;
      this.modes = modes;
      this.fixedScaling = fixedScaling;
      this.modelScaling = modelScaling;
    }

    void write(String modelLabel) {
      try {
        Map<String, Object> meta = new LinkedHashMap<>(metaSoFar);
        meta.putAll(meta(corpus, spans, modelLabel, dbs, settings));
        meta.put("partial", true);
        report(meta, modes, fixedScaling, modelScaling).write(outDir);
      } catch (RuntimeException e) {
        err.println("bench: could not write the partial report: " + e.getMessage());
      }
    }
  }

  /** Indexes the corpus once into a scratch database and picks the spans every run enriches. */
  private SpanSelection select(FreshDatabases dbs, Corpus corpus, Settings settings) {
    FreshDatabases.Fresh scratch = dbs.create("select");
    try (Database db = scratch.connect(4, "bench-select")) {
      new Indexer(db, IndexSettings.from(settings)).index(corpus.root());
      SpanSelection s = SpanSelection.first(db, options.limit());
      if (s.size() == 0) {
        throw new ConfigException("bench: no spans found in " + corpus.root());
      }
      return s;
    }
  }

  /** flag &gt; environment &gt; config file &gt; default, with the benchmark's defaults below. */
  private Settings settings() {
    Settings probe = Settings.load(options.flags(), env, null);
    Path home = Databases.home(probe);
    Settings s = Settings.load(options.flags(), env, Settings.configFile(env, home));
    Map<String, String> defaults = new HashMap<>();
    DEFAULTS.forEach(
        (k, v) -> {
          if (s.optional(k).isEmpty()) {
            defaults.put(k, v);
          }
        });
    return s.withFlags(defaults);
  }

  /** The batch-x2 mode needs two llama.cpp slots; the model is loaded once for every mode. */
  private Settings withModeParallelism(Settings s) {
    if (options.modes().contains(BenchOptions.BATCH_X2)
        && s.optional(LlmSettings.EMBEDDED_PARALLEL).isEmpty()) {
      return s.withFlags(Map.of(LlmSettings.EMBEDDED_PARALLEL, "2"));
    }
    return s;
  }

  private static Map<String, String> fixedLatencyEnv(FixedLatencyEndpoint endpoint) {
    Map<String, String> m = new HashMap<>();
    m.put("CODEGLOSS_BACKEND", "openai");
    m.put("OPENAI_BASE_URL", endpoint.baseUrl());
    m.put("CODEGLOSS_MODEL", endpoint.modelName());
    m.put("OPENAI_API_KEY", ""); // never send a real key to the benchmark's own endpoint
    m.put("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema");
    return m;
  }

  /**
   * The environment of child worker processes: the user's environment and flags, the benchmark's
   * defaults, then {@code extra}.
   */
  private Map<String, String> childEnv(Path home, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(env);
    m.putAll(options.flags());
    DEFAULTS.forEach(m::putIfAbsent);
    m.put(Databases.HOME, home.toString());
    m.putAll(extra);
    return m;
  }

  /** The configured backend and model, named without loading the model. */
  private static String configuredModel(Settings s, Path home) {
    LlmSettings llm = LlmSettings.from(s, home);
    String model =
        llm.model() != null
            ? llm.model()
            : llm.backend().equals("embedded")
                ? llm.modelPath().getFileName().toString().replaceFirst("\\.gguf$", "")
                : "(server default)";
    return llm.backend() + " " + model;
  }

  private static String label(LlmBackend backend) {
    return backend.name() + " " + backend.model();
  }

  private Map<String, Object> meta(
      Corpus corpus, SpanSelection spans, String model, FreshDatabases dbs, Settings settings) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    m.put("machine", machine());
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("model", model);
    m.put("corpus", corpus.description());
    m.put("spans", spans.size());
    m.put("databases", dbs.where());
    RetryPolicy retry = RetryPolicy.fromSettings(settings);
    m.put(
        "bench_settings",
        "retries: "
            + retry.maxAttempts()
            + " attempts per span, backoff from "
            + retry.base().toSeconds()
            + " s; batch pause after "
            + BatchPause.fromSettings(settings).after()
            + " useless batches (0: never); scheduler tick "
            + Runner.TICK.toSeconds()
            + " s; JobRunr poll "
            + QueueTiming.from(settings).pollSeconds()
            + " s");
    m.put("command", "codegloss bench " + String.join(" ", commandLine()));
    return m;
  }

  private List<String> commandLine() {
    List<String> parts = new ArrayList<>();
    if (options.corpus() != null) {
      parts.add(options.corpus().toString());
    }
    if (options.limit() > 0) {
      parts.add("--limit " + options.limit());
    }
    if (!options.modes().equals(BenchOptions.ALL_MODES)) {
      parts.add(
          "--modes " + (options.modes().isEmpty() ? "none" : String.join(",", options.modes())));
    }
    if (!options.scaling()) {
      parts.add("--scaling off");
    }
    if (!options.workers().equals(List.of(1, 2, 4))) {
      parts.add("--workers " + join(options.workers()));
    }
    if (options.latencyMillis() != 1000) {
      parts.add("--latency-ms " + options.latencyMillis());
    }
    if (options.scalingLimit() > 0) {
      parts.add("--scaling-limit " + options.scalingLimit());
    }
    if (options.realScalingLimit() != 8) {
      parts.add("--real-scaling-limit " + options.realScalingLimit());
    }
    if (!options.realScalingWorkers().equals(List.of(1, 2))) {
      parts.add("--real-scaling-workers " + join(options.realScalingWorkers()));
    }
    if (options.fixedLatency()) {
      parts.add("--fixed-latency");
    }
    if (options.docstringQuality() || options.retrievalQuality()) {
      List<String> q = new ArrayList<>();
      if (options.docstringQuality()) {
        q.add("docstrings");
      }
      if (options.retrievalQuality()) {
        q.add("retrieval");
      }
      parts.add("--quality " + String.join(",", q));
    }
    return parts;
  }

  private static String join(List<Integer> xs) {
    return String.join(",", xs.stream().map(String::valueOf).toList());
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores (nproc), "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", "
        + cpuModel()
        + "Java "
        + System.getProperty("java.version");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip() + ", ";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it out
    }
    return "";
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("codegloss-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // temporary; the OS cleans up what is left
                }
              });
    } catch (IOException e) {
      // same
    }
  }
}
