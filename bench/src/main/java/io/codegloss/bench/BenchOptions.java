package io.codegloss.bench;

import io.codegloss.core.error.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@code codegloss bench}. Every flag but {@code --json}, {@code
 * --fixed-latency} and {@code --help} takes a value, as everywhere else in codegloss.
 *
 * @param corpus the directory to enrich, or null for the default corpus
 * @param limit at most this many spans (0: all)
 * @param json print the JSON report instead of the Markdown tables
 * @param output where the report, tables and charts go, or null for bench/out/TIMESTAMP
 * @param modes the enrichment modes compared, in order
 * @param fixedLatency compare the modes against the fixed-latency endpoint instead of the model (a
 *     quick check of the machinery; quality numbers are then meaningless and say so)
 * @param scaling measure the queue with 1..N worker processes
 * @param workers the worker-process counts of the scaling runs
 * @param latencyMillis the fixed-latency endpoint's latency
 * @param scalingLimit spans of the fixed-latency scaling runs (0: the whole span set)
 * @param realScalingLimit spans of the real-model scaling runs (0: skip them)
 * @param realScalingWorkers worker-process counts of the real-model scaling runs
 * @param timeoutMinutes a run that has not finished by then is stopped and reported as it is
 * @param flags settings given as flags (--db-url, --backend, --model, --max-tokens...)
 */
public record BenchOptions(
    @Nullable Path corpus,
    int limit,
    boolean json,
    @Nullable Path output,
    List<String> modes,
    boolean fixedLatency,
    boolean scaling,
    List<Integer> workers,
    int latencyMillis,
    int scalingLimit,
    int realScalingLimit,
    List<Integer> realScalingWorkers,
    int timeoutMinutes,
    Map<String, String> flags) {

  public static final String SINGLE = "single";
  public static final String BATCH = "batch";
  public static final String BATCH_X2 = "batch-x2";
  public static final List<String> ALL_MODES = List.of(SINGLE, BATCH, BATCH_X2);

  static final Map<String, String> SETTING_FLAGS =
      Map.of(
          "db-url", "CODEGLOSS_DB_URL",
          "backend", "CODEGLOSS_BACKEND",
          "model", "CODEGLOSS_MODEL",
          "model-path", "CODEGLOSS_MODEL_PATH",
          "max-tokens", "CODEGLOSS_WORKER_MAX_TOKENS",
          "batch-max-tokens", "RAG_BATCH_MAX_TOKENS",
          "batch-max-line-gap", "RAG_BATCH_MAX_LINE_GAP",
          "batch-min-size", "RAG_BATCH_MIN_SIZE");

  public static final String USAGE =
      """
      usage: codegloss bench [CORPUS] [--limit N] [--json] [--output DIR]
        Enriches the same spans once per mode, each in a fresh database, with the same model and
        worker limits, and reports calls, tokens, time, validity, cost against the floor and
        quality per mode, plus the queue's own overhead and its scaling with worker processes.

        CORPUS                     a directory (default: modules of python3's standard library)
        --limit N                  at most N spans (default: all)
        --json                     print the JSON report (a Markdown table is printed otherwise)
        --output DIR               report folder (default: bench/out/TIMESTAMP)
        --modes LIST               of single,batch,batch-x2 (default: all three), or none;
                                   batch-x2 = batches with 2 concurrent requests
        --scaling on|off           queue scaling with worker processes (default: on)
        --workers LIST             worker-process counts for scaling (default: 1,2,4)
        --latency-ms N             latency of the FIXED-LATENCY ENDPOINT (default: 1000)
        --scaling-limit N          spans of the fixed-latency scaling runs (default: all)
        --real-scaling-limit N     spans of the real-model scaling runs (default: 8; 0 skips)
        --real-scaling-workers LIST  worker counts with the real model (default: 1,2)
        --fixed-latency            compare the modes against the fixed-latency endpoint too
                                   (a quick check of the machinery, no model)
        --timeout-minutes N        stop a run after N minutes (default: 240)
        --backend B --model M --model-path P --max-tokens N --db-url URL
        --batch-max-tokens N --batch-max-line-gap N --batch-min-size N
      """;

  public BenchOptions {
    modes = List.copyOf(modes);
    workers = List.copyOf(workers);
    realScalingWorkers = List.copyOf(realScalingWorkers);
    flags = Map.copyOf(flags);
  }

  /** Parses the arguments after {@code bench}; null when help was asked for. */
  public static @Nullable BenchOptions parse(String[] args) {
    Path corpus = null;
    int limit = 0;
    boolean json = false;
    boolean fixed = false;
    Path output = null;
    List<String> modes = ALL_MODES;
    boolean scaling = true;
    List<Integer> workers = List.of(1, 2, 4);
    int latency = 1000;
    int scalingLimit = 0;
    int realScalingLimit = 8;
    List<Integer> realWorkers = List.of(1, 2);
    int timeout = 240;
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
        return null;
      }
      if (!a.startsWith("--")) {
        if (corpus != null) {
          throw new ConfigException("bench: one CORPUS only, got " + corpus + " and " + a);
        }
        corpus = Path.of(a);
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals("json") || name.equals("fixed-latency")) {
        boolean on = value == null || onOff(name, value);
        if (name.equals("json")) {
          json = on;
        } else {
          fixed = on;
        }
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new ConfigException("bench: --" + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "limit" -> limit = number(name, value, 0, 1_000_000);
        case "output" -> output = Path.of(value);
        case "modes" -> modes = modes(value);
        case "scaling" -> scaling = onOff(name, value);
        case "workers" -> workers = counts(name, value);
        case "latency-ms" -> latency = number(name, value, 0, 600_000);
        case "scaling-limit" -> scalingLimit = number(name, value, 0, 1_000_000);
        case "real-scaling-limit" -> realScalingLimit = number(name, value, 0, 1_000_000);
        case "real-scaling-workers" -> realWorkers = counts(name, value);
        case "timeout-minutes" -> timeout = number(name, value, 1, 100_000);
        default -> {
          String variable = SETTING_FLAGS.get(name);
          if (variable == null) {
            throw new ConfigException(
                "bench: unknown flag --" + name + " (run 'codegloss bench --help')");
          }
          flags.put(variable, value);
        }
      }
    }
    return new BenchOptions(
        corpus,
        limit,
        json,
        output,
        modes,
        fixed,
        scaling,
        workers,
        latency,
        scalingLimit,
        realScalingLimit,
        realWorkers,
        timeout,
        flags);
  }

  private static List<String> modes(String value) {
    if (value.strip().equals("none")) {
      return List.of(); // only the queue scaling
    }
    Set<String> out = new LinkedHashSet<>();
    for (String m : value.split(",")) {
      String mode = m.strip();
      if (!ALL_MODES.contains(mode)) {
        throw new ConfigException(
            "bench: unknown mode '" + mode + "' in --modes (expected " + ALL_MODES + ")");
      }
      out.add(mode);
    }
    if (out.isEmpty()) {
      throw new ConfigException("bench: --modes names no mode");
    }
    return new ArrayList<>(out);
  }

  private static List<Integer> counts(String name, String value) {
    List<Integer> out = new ArrayList<>();
    for (String n : value.split(",")) {
      out.add(number(name, n.strip(), 1, 64));
    }
    return out;
  }

  private static int number(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        "bench: invalid value '" + value + "' for --" + name + ": expected " + min + ".." + max);
  }

  private static boolean onOff(String name, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default ->
          throw new ConfigException(
              "bench: invalid value '" + value + "' for --" + name + ": expected on or off");
    };
  }
}
