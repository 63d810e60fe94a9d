package io.codegloss.scheduler.plan;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.queue.JobSizing;

/**
 * The batch planner's settings, named as in the seed (batch-span-enrichment.md) with its defaults,
 * plus the one setting this planner adds to define a large span.
 *
 * <p>A span is <b>large</b>, and is then enriched alone, when either
 *
 * <ul>
 *   <li>its tokens exceed half of {@code RAG_BATCH_MAX_TOKENS} ({@code 2 * tokens > maxTokens}):
 *       such a span would leave room for less than itself, so batching it buys little context and
 *       risks one failure taking small neighbours down with it; or
 *   <li>it is sent whole (not as a class outline, see {@link SpanContent}) and spans more than
 *       {@code RAG_BATCH_LARGE_SPAN_LINES} lines (default 200): the seed's "500 lines - batch
 *       alone" for code whose token estimate is low (long tables, sparse code).
 * </ul>
 *
 * @param enabled {@code RAG_BATCH_ENRICHMENT}, default on; off makes every span a single job
 * @param maxTokens {@code RAG_BATCH_MAX_TOKENS}, default 2000; a batch's span tokens stay below it
 * @param maxLineGap {@code RAG_BATCH_MAX_LINE_GAP}, default 100; a span joins a batch only if
 *     {@code span.startLine - previous.endLine < maxLineGap}
 * @param minSize {@code RAG_BATCH_MIN_SIZE}, default 2; smaller batches become single-span jobs
 * @param largeSpanLines {@code RAG_BATCH_LARGE_SPAN_LINES}, default 200
 */
public record PlanSettings(
    boolean enabled, int maxTokens, int maxLineGap, int minSize, int largeSpanLines) {

  public static final String ENABLED = "RAG_BATCH_ENRICHMENT";
  public static final String MAX_TOKENS = "RAG_BATCH_MAX_TOKENS";
  public static final String MAX_LINE_GAP = "RAG_BATCH_MAX_LINE_GAP";
  public static final String MIN_SIZE = "RAG_BATCH_MIN_SIZE";
  public static final String LARGE_SPAN_LINES = "RAG_BATCH_LARGE_SPAN_LINES";

  public static final boolean DEFAULT_ENABLED = true;
  public static final int DEFAULT_MAX_TOKENS = 2000;
  public static final int DEFAULT_MAX_LINE_GAP = 100;
  public static final int DEFAULT_MIN_SIZE = 2;
  public static final int DEFAULT_LARGE_SPAN_LINES = 200;

  private static final int MAX_TOKENS_LIMIT = 1_000_000;
  private static final int MAX_LINES_LIMIT = 10_000_000;
  private static final int MIN_SIZE_LIMIT = 10_000;

  public PlanSettings {
    requireRange(MAX_TOKENS, maxTokens, 1, MAX_TOKENS_LIMIT);
    requireRange(MAX_LINE_GAP, maxLineGap, 1, MAX_LINES_LIMIT);
    requireRange(MIN_SIZE, minSize, 1, MIN_SIZE_LIMIT);
    requireRange(LARGE_SPAN_LINES, largeSpanLines, 1, MAX_LINES_LIMIT);
  }

  /** The seed's defaults. */
  public static PlanSettings defaults() {
    return new PlanSettings(
        DEFAULT_ENABLED,
        DEFAULT_MAX_TOKENS,
        DEFAULT_MAX_LINE_GAP,
        DEFAULT_MIN_SIZE,
        DEFAULT_LARGE_SPAN_LINES);
  }

  /**
   * Resolves every setting through {@code settings}; an invalid value is a {@link ConfigException}
   * naming the variable and where its value came from.
   */
  public static PlanSettings from(Settings settings) {
    return new PlanSettings(
        settings.onOff(ENABLED, DEFAULT_ENABLED),
        settings.intValue(MAX_TOKENS, DEFAULT_MAX_TOKENS, 1, MAX_TOKENS_LIMIT),
        settings.intValue(MAX_LINE_GAP, DEFAULT_MAX_LINE_GAP, 1, MAX_LINES_LIMIT),
        settings.intValue(MIN_SIZE, DEFAULT_MIN_SIZE, 1, MIN_SIZE_LIMIT),
        settings.intValue(LARGE_SPAN_LINES, DEFAULT_LARGE_SPAN_LINES, 1, MAX_LINES_LIMIT));
  }

  /**
   * The largest job a batch may become (prompt and output cap, {@link JobSizing#jobTokens}): a
   * default worker's context, so that every batch fits the worker nobody configured; an operator
   * who raises {@code RAG_BATCH_MAX_TOKENS} above that has said the fleet's workers are that large.
   */
  public int maxJobTokens() {
    return Math.max(JobSizing.DEFAULT_CONTEXT_TOKENS, maxTokens);
  }

  /** Spans with more tokens than this are large; half of {@link #maxTokens()}, rounded down. */
  public int largeSpanTokens() {
    return maxTokens / 2;
  }

  /** Whether {@code span} is large and therefore enriched alone (see the class comment). */
  public boolean isLarge(PlanSpan span) {
    return span.tokens() > largeSpanTokens()
        || (span.content() == SpanContent.WHOLE && span.lineCount() > largeSpanLines);
  }

  /** One line for logs and the CLI, in variable names. */
  public String describe() {
    return ENABLED
        + "="
        + (enabled ? "on" : "off")
        + " "
        + MAX_TOKENS
        + "="
        + maxTokens
        + " "
        + MAX_LINE_GAP
        + "="
        + maxLineGap
        + " "
        + MIN_SIZE
        + "="
        + minSize
        + " "
        + LARGE_SPAN_LINES
        + "="
        + largeSpanLines;
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(
          "invalid value '"
              + value
              + "' for "
              + name
              + ": expected a whole number from "
              + min
              + " to "
              + max);
    }
  }
}
