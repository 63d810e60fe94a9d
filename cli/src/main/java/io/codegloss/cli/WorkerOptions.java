package io.codegloss.cli;

import io.codegloss.core.config.Variable;
import io.codegloss.worker.job.WorkerSettings;
import io.codegloss.worker.llm.LlmSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** A worker's limits and model, for {@code worker} and {@code up}. */
final class WorkerOptions {

  @Variable(WorkerSettings.MAX_TOKENS)
  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description =
          "largest job (prompt + output cap) this worker takes; default the model's context"
              + " (CODEGLOSS_WORKER_MAX_TOKENS)")
  @Nullable Integer maxTokens;

  @Variable(WorkerSettings.CONCURRENCY)
  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "calls to the model at once (CODEGLOSS_WORKER_CONCURRENCY, 1); a few more jobs run"
              + " ahead of them (CODEGLOSS_WORKER_AHEAD)")
  @Nullable Integer concurrency;

  @Variable(LlmSettings.BACKEND)
  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description =
          "embedded (llama.cpp in process), ollama or openai (CODEGLOSS_BACKEND, embedded)")
  @Nullable String backend;

  @Variable(LlmSettings.MODEL)
  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "model name for ollama/openai (CODEGLOSS_MODEL)")
  @Nullable String model;
}
