package io.codegloss.bench;

import io.codegloss.core.error.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code codegloss bench} was asked to do, checked; the flags themselves are {@link
 * BenchFlags}.
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
 * @param docstringQuality score each mode's prose against the first sentence of the spans' own
 *     docstrings ({@code --quality docstrings})
 * @param retrievalQuality search for each documented function by its docstring's first sentence and
 *     report MRR@10 and recall@10 per layer set ({@code --quality retrieval})
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
    boolean docstringQuality,
    boolean retrievalQuality,
    Map<String, String> flags) {

  public static final String SINGLE = "single";
  public static final String BATCH = "batch";
  public static final String BATCH_X2 = "batch-x2";
  public static final List<String> ALL_MODES = List.of(SINGLE, BATCH, BATCH_X2);

  public BenchOptions {
    modes = List.copyOf(modes);
    workers = List.copyOf(workers);
    realScalingWorkers = List.copyOf(realScalingWorkers);
    flags = Map.copyOf(flags);
  }

  static List<String> modes(String value) {
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

  /** {@code --quality}: a comma-separated list of {@code docstrings} and {@code retrieval}. */
  static boolean docstringQuality(@Nullable String value) {
    return quality(value).contains("docstrings");
  }

  static boolean retrievalQuality(@Nullable String value) {
    return quality(value).contains("retrieval");
  }

  private static Set<String> quality(@Nullable String value) {
    Set<String> out = new LinkedHashSet<>();
    if (value == null) {
      return out;
    }
    for (String q : value.split(",")) {
      String m = q.strip();
      if (!m.equals("docstrings") && !m.equals("retrieval")) {
        throw new ConfigException(
            "bench: unknown measure '" + m + "' in --quality (expected docstrings or retrieval)");
      }
      out.add(m);
    }
    return out;
  }

  static List<Integer> counts(String name, String value) {
    List<Integer> out = new ArrayList<>();
    for (String n : value.split(",")) {
      out.add(number(name, n.strip(), 1, 64));
    }
    return out;
  }

  /** {@code value} of {@code --name} if within min..max, else a usage error naming the flag. */
  static int range(String name, int value, int min, int max) {
    return number(name, Integer.toString(value), min, max);
  }

  static int number(String name, String value, int min, int max) {
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

  static boolean onOff(String name, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default ->
          throw new ConfigException(
              "bench: invalid value '" + value + "' for --" + name + ": expected on or off");
    };
  }
}
