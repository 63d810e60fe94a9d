package io.codegloss.scheduler.index;

import io.codegloss.core.config.Settings;
import java.util.Arrays;
import java.util.List;

/**
 * How the indexer walks and parses.
 *
 * @param maxFileBytes files larger than this are skipped as too_large ({@value #MAX_FILE_BYTES})
 * @param threads parsing threads, each with its own parser and database connection ({@value
 *     #THREADS}, default cores + 1); the {@link io.codegloss.core.db.Database} pool should allow as
 *     many
 * @param parseTimeoutMillis a file whose parse takes longer is skipped ({@value #PARSE_TIMEOUT})
 * @param extraExcludes gitignore-style patterns applied from the root ({@value #EXCLUDE}, comma
 *     separated), on top of .gitignore files and the default excludes
 */
public record IndexSettings(
    long maxFileBytes, int threads, long parseTimeoutMillis, List<String> extraExcludes) {

  public static final String MAX_FILE_BYTES = "CODEGLOSS_MAX_FILE_BYTES";
  public static final String THREADS = "CODEGLOSS_INDEX_THREADS";
  public static final String PARSE_TIMEOUT = "CODEGLOSS_PARSE_TIMEOUT_MS";
  public static final String EXCLUDE = "CODEGLOSS_INDEX_EXCLUDE";

  public static final int DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
  public static final int DEFAULT_PARSE_TIMEOUT_MILLIS = 10_000;

  public IndexSettings {
    if (maxFileBytes < 0 || threads < 1 || parseTimeoutMillis < 1) {
      throw new IllegalArgumentException("invalid index settings");
    }
    extraExcludes = List.copyOf(extraExcludes);
  }

  public static IndexSettings from(Settings settings) {
    // One thread more than cores, so that a thread waiting for the database leaves no core idle.
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors()) + 1;
    List<String> excludes =
        Arrays.stream(settings.string(EXCLUDE, "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    return new IndexSettings(
        settings.intValue(MAX_FILE_BYTES, DEFAULT_MAX_FILE_BYTES, 0, Integer.MAX_VALUE),
        settings.intValue(THREADS, threads, 1, 64),
        settings.intValue(PARSE_TIMEOUT, DEFAULT_PARSE_TIMEOUT_MILLIS, 1, 3_600_000),
        excludes);
  }

  /** The defaults: 1 MiB files, cores + 1 threads, 10 s per parse, no extra excludes. */
  public static IndexSettings defaults() {
    return from(Settings.of(java.util.Map.of()));
  }

  public IndexSettings withMaxFileBytes(long bytes) {
    return new IndexSettings(bytes, threads, parseTimeoutMillis, extraExcludes);
  }

  public IndexSettings withThreads(int n) {
    return new IndexSettings(maxFileBytes, n, parseTimeoutMillis, extraExcludes);
  }

  public IndexSettings withParseTimeoutMillis(long millis) {
    return new IndexSettings(maxFileBytes, threads, millis, extraExcludes);
  }
}
