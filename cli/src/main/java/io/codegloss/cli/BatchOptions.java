package io.codegloss.cli;

import io.codegloss.core.config.Variable;
import io.codegloss.scheduler.plan.PlanSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The seed's batching settings as flags, for the commands that plan: plan, enqueue, scheduler, up.
 * Values are checked by {@link PlanSettings#from}, the same rule as for the variables.
 */
final class BatchOptions {

  @Variable(PlanSettings.ENABLED)
  @Option(
      names = "--batch",
      paramLabel = "on|off",
      description = "batch related spans; off: one span per call (RAG_BATCH_ENRICHMENT, on)")
  @Nullable String enabled;

  @Variable(PlanSettings.MAX_TOKENS)
  @Option(
      names = "--batch-max-tokens",
      paramLabel = "N",
      description = "a batch's span tokens stay under this (RAG_BATCH_MAX_TOKENS, 2000)")
  @Nullable Integer maxTokens;

  @Variable(PlanSettings.MAX_LINE_GAP)
  @Option(
      names = "--batch-max-line-gap",
      paramLabel = "N",
      description = "gap to the previous span stays under this (RAG_BATCH_MAX_LINE_GAP, 100)")
  @Nullable Integer maxLineGap;

  @Variable(PlanSettings.MIN_SIZE)
  @Option(
      names = "--batch-min-size",
      paramLabel = "N",
      description =
          "a group smaller than this is enriched one span per job (RAG_BATCH_MIN_SIZE, 2)")
  @Nullable Integer minSize;

  @Variable(PlanSettings.LARGE_SPAN_LINES)
  @Option(
      names = "--batch-large-span-lines",
      paramLabel = "N",
      description = "a span longer than this goes alone (RAG_BATCH_LARGE_SPAN_LINES, 200)")
  @Nullable Integer largeSpanLines;
}
