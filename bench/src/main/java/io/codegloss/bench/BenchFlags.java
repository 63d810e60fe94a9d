package io.codegloss.bench;

import io.codegloss.core.config.Variable;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.llm.LlmSettings;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of {@code codegloss bench}, as picocli options (the CLI mixes them into its bench
 * command, which adds --config and --db-url). {@link #options} checks them into {@link
 * BenchOptions}; the setting flags are handed over as the flag layer of the settings.
 */
public final class BenchFlags {

  @Parameters(
      arity = "0..1",
      paramLabel = "CORPUS",
      description = "a directory (default: modules of python3's standard library)")
  @Nullable Path corpus;

  @Option(names = "--limit", paramLabel = "N", description = "at most N spans (default: all)")
  int limit;

  @Option(
      names = "--json",
      description = "print the JSON report (a Markdown table is printed otherwise)")
  boolean json;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "report folder (default: bench/out/TIMESTAMP)")
  @Nullable Path output;

  @Option(
      names = "--modes",
      paramLabel = "LIST",
      description =
          "of single,batch,batch-x2 (default: all three), or none; batch-x2 = batches with 2"
              + " concurrent requests")
  @Nullable String modes;

  @Option(
      names = "--scaling",
      paramLabel = "on|off",
      description = "queue scaling with worker processes (default: on)")
  @Nullable String scaling;

  @Option(
      names = "--workers",
      paramLabel = "LIST",
      description = "worker-process counts for scaling (default: 1,2,4)")
  @Nullable String workers;

  @Option(
      names = "--latency-ms",
      paramLabel = "N",
      description = "latency of the FIXED-LATENCY ENDPOINT (default: 1000)")
  int latencyMillis = 1000;

  @Option(
      names = "--scaling-limit",
      paramLabel = "N",
      description = "spans of the fixed-latency scaling runs (default: all)")
  int scalingLimit;

  @Option(
      names = "--real-scaling-limit",
      paramLabel = "N",
      description = "spans of the real-model scaling runs (default: 8; 0 skips)")
  int realScalingLimit = 8;

  @Option(
      names = "--real-scaling-workers",
      paramLabel = "LIST",
      description = "worker counts with the real model (default: 1,2)")
  @Nullable String realScalingWorkers;

  @Option(
      names = "--fixed-latency",
      description =
          "compare the modes against the fixed-latency endpoint too (a quick check of the"
              + " machinery, no model)")
  boolean fixedLatency;

  @Option(
      names = "--timeout-minutes",
      paramLabel = "N",
      description = "stop a run after N minutes (default: 240)")
  int timeoutMinutes = 240;

  @Option(
      names = "--quality",
      paramLabel = "MEASURES",
      description =
          "docstrings: score each mode's prose against the first sentence of the spans' own"
              + " docstrings (ROUGE-L, BLEU-4, name-words baseline); retrieval: search for each"
              + " documented function by that sentence, docstrings excluded, and report MRR@10 and"
              + " recall@10 for names, + facts, + model prose; both: docstrings,retrieval")
  @Nullable String quality;

  @Variable(LlmSettings.BACKEND)
  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description = "embedded, ollama or openai (CODEGLOSS_BACKEND, embedded)")
  @Nullable String backend;

  @Variable(LlmSettings.MODEL)
  @Option(names = "--model", paramLabel = "NAME", description = "model name (CODEGLOSS_MODEL)")
  @Nullable String model;

  @Variable(LlmSettings.MODEL_PATH)
  @Option(
      names = "--model-path",
      paramLabel = "FILE",
      description = "GGUF of the embedded backend (CODEGLOSS_MODEL_PATH)")
  @Nullable String modelPath;

  @Variable(WorkerSettings.MAX_TOKENS)
  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "the workers' largest job (CODEGLOSS_WORKER_MAX_TOKENS)")
  @Nullable Integer maxTokens;

  @Variable(PlanSettings.MAX_TOKENS)
  @Option(
      names = "--batch-max-tokens",
      paramLabel = "N",
      description = "a batch's span tokens stay under this (RAG_BATCH_MAX_TOKENS, 2000)")
  @Nullable Integer batchMaxTokens;

  @Variable(PlanSettings.MAX_LINE_GAP)
  @Option(
      names = "--batch-max-line-gap",
      paramLabel = "N",
      description = "gap to the previous span stays under this (RAG_BATCH_MAX_LINE_GAP, 100)")
  @Nullable Integer batchMaxLineGap;

  @Variable(PlanSettings.MIN_SIZE)
  @Option(
      names = "--batch-min-size",
      paramLabel = "N",
      description = "smaller groups are enriched one span per job (RAG_BATCH_MIN_SIZE, 2)")
  @Nullable Integer batchMinSize;

  /**
   * The checked options; a value out of range is a usage error naming the flag.
   *
   * @param settingFlags variable to value of the setting flags given (--db-url, --backend, ...)
   */
  public BenchOptions options(Map<String, String> settingFlags) {
    return new BenchOptions(
        corpus,
        BenchOptions.range("limit", limit, 0, 1_000_000),
        json,
        output,
        modes == null ? BenchOptions.ALL_MODES : BenchOptions.modes(modes),
        fixedLatency,
        scaling == null || BenchOptions.onOff("scaling", scaling),
        workers == null ? java.util.List.of(1, 2, 4) : BenchOptions.counts("workers", workers),
        BenchOptions.range("latency-ms", latencyMillis, 0, 600_000),
        BenchOptions.range("scaling-limit", scalingLimit, 0, 1_000_000),
        BenchOptions.range("real-scaling-limit", realScalingLimit, 0, 1_000_000),
        realScalingWorkers == null
            ? java.util.List.of(1, 2)
            : BenchOptions.counts("real-scaling-workers", realScalingWorkers),
        BenchOptions.range("timeout-minutes", timeoutMinutes, 1, 100_000),
        BenchOptions.docstringQuality(quality),
        BenchOptions.retrievalQuality(quality),
        settingFlags);
  }
}
