package io.codegloss.worker.job;

import io.codegloss.core.config.Settings;
import io.codegloss.core.queue.QueueTiming;
import io.codegloss.core.store.RetryPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Everything a worker process reads from the settings besides its LLM backend ({@link
 * io.codegloss.worker.llm.LlmSettings}), resolved once by the process's command and passed to
 * {@link Workers#create}.
 *
 * @param name {@value #NAME}; null: the caller's default (host and process id for {@code worker})
 * @param maxTokens {@value #MAX_TOKENS}, the largest job taken; null: the model's context window
 * @param concurrency {@value #CONCURRENCY}, jobs at once (default 1)
 * @param drain {@value #DRAIN_SECONDS}: how long a stopping worker waits for running jobs
 * @param timing JobRunr's timing, shared with the scheduler
 * @param retry backoff of failed spans
 * @param batchPause when batches of a model that cannot answer them go straight to single jobs
 * @param timeoutBaseSeconds {@value #TIMEOUT_BASE_SECONDS}: every call's deadline starts here
 * @param secondsPerPromptToken {@value #PER_PROMPT_TOKEN_MS} / 1000: added per prompt token
 * @param secondsPerOutputToken {@value #PER_OUTPUT_TOKEN_MS} / 1000: added per output token
 * @param wake {@value #WAKE} (default on): listen for enqueued jobs instead of waiting for the poll
 * @param ahead {@value #AHEAD}: jobs taken beyond {@code concurrency}, which claim their spans and
 *     build their prompts while the model answers others and store notes after; null: half of
 *     {@code concurrency}, rounded up (see {@link #jobsAhead})
 */
public record WorkerSettings(
    @Nullable String name,
    @Nullable Integer maxTokens,
    int concurrency,
    Duration drain,
    QueueTiming timing,
    RetryPolicy retry,
    BatchPause batchPause,
    double timeoutBaseSeconds,
    double secondsPerPromptToken,
    double secondsPerOutputToken,
    boolean wake,
    @Nullable Integer ahead) {

  public static final String NAME = "CODEGLOSS_WORKER_NAME";
  public static final String MAX_TOKENS = "CODEGLOSS_WORKER_MAX_TOKENS";
  public static final String CONCURRENCY = "CODEGLOSS_WORKER_CONCURRENCY";
  public static final String DRAIN_SECONDS = "CODEGLOSS_DRAIN_SECONDS";
  public static final String TIMEOUT_BASE_SECONDS = "CODEGLOSS_LLM_TIMEOUT_BASE_SECONDS";
  public static final String PER_PROMPT_TOKEN_MS = "CODEGLOSS_LLM_SECONDS_PER_PROMPT_TOKEN_MS";
  public static final String PER_OUTPUT_TOKEN_MS = "CODEGLOSS_LLM_SECONDS_PER_OUTPUT_TOKEN_MS";
  public static final String WAKE = "CODEGLOSS_WORKER_WAKE";
  public static final String AHEAD = "CODEGLOSS_WORKER_AHEAD";

  /** Below this no prompt fits; the upper bound only catches typos. */
  static final int MIN_MAX_TOKENS = 256;

  /**
   * CODEGLOSS_LLM_TIMEOUT_BASE_SECONDS (60), CODEGLOSS_LLM_SECONDS_PER_OUTPUT_TOKEN_MS (250, i.e. 4
   * tokens/s, a slow CPU) and CODEGLOSS_LLM_SECONDS_PER_PROMPT_TOKEN_MS (20) make the deadline of
   * each call.
   */
  public static WorkerSettings from(Settings s) {
    Integer maxTokens =
        s.optional(MAX_TOKENS).isPresent()
            ? s.intValue(MAX_TOKENS, 0, MIN_MAX_TOKENS, 10_000_000)
            : null;
    return new WorkerSettings(
        s.optional(NAME).orElse(null),
        maxTokens,
        s.intValue(CONCURRENCY, 1, 1, 256),
        Duration.ofSeconds(s.intValue(DRAIN_SECONDS, 120, 0, 86_400)),
        QueueTiming.from(s),
        RetryPolicy.fromSettings(s),
        BatchPause.fromSettings(s),
        s.intValue(TIMEOUT_BASE_SECONDS, 60, 1, 86_400),
        s.intValue(PER_PROMPT_TOKEN_MS, 20, 0, 60_000) / 1000.0,
        s.intValue(PER_OUTPUT_TOKEN_MS, 250, 0, 600_000) / 1000.0,
        // off for a pooler that cannot hold a LISTEN (pgbouncer in transaction mode)
        s.onOff(WAKE, true),
        s.optional(AHEAD).isPresent() ? s.intValue(AHEAD, 0, 0, 256) : null);
  }

  /**
   * Jobs this worker runs beyond its model calls. {@code concurrency} bounds the calls to the model
   * at once; a job also spends time before its call (claiming its spans, building the prompt) and
   * after it (storing the note, JobRunr's bookkeeping), and while it does, the model would wait for
   * work. Jobs ahead do that part while the model answers others. Measured with the bench's 50 ms
   * endpoint at 8 calls at once: a job's time outside its call was 13-16 ms, so about a quarter of
   * each slot; half of {@code concurrency} covers that with room for variance.
   */
  public int jobsAhead() {
    return ahead != null ? ahead : (concurrency + 1) / 2;
  }

  /**
   * Connections the worker's pool needs: one per job it runs at once, since a job holds one while
   * it claims and while it writes, and two for JobRunr's steward and our heartbeat. With a fixed
   * pool of 4, a worker at {@code --concurrency 8} queued its jobs' transactions behind each other.
   */
  public int databasePoolSize() {
    return concurrency + jobsAhead() + 2;
  }

  /** This worker under another name and concurrency (the benchmark's in-process workers). */
  public WorkerSettings with(String newName, int newConcurrency) {
    return new WorkerSettings(
        newName,
        maxTokens,
        newConcurrency,
        drain,
        timing,
        retry,
        batchPause,
        timeoutBaseSeconds,
        secondsPerPromptToken,
        secondsPerOutputToken,
        wake,
        ahead);
  }
}
