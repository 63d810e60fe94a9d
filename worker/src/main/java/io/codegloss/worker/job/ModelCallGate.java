package io.codegloss.worker.job;

import io.codegloss.core.error.RetryableException;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmRequest;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.PromptShape;
import io.codegloss.worker.llm.TextRequest;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@code concurrency} calls to the model at once, however many jobs the worker runs.
 *
 * <p>A worker runs a few jobs more than its concurrency ({@link WorkerSettings#jobsAhead}): they
 * claim their spans and build their prompts while the model answers others, then wait here for a
 * free call. The wait happens before the backend starts its clock, so a call's deadline and an
 * answered call's recorded wall time cover the call alone. A failed call is timed by its caller
 * (EnrichJobRunner, DocCompletionRunner) from before the gate, so its recorded time includes the
 * wait. The gate is fair: jobs call in the order they became ready.
 *
 * <p>Nothing here owns the backend: whoever created it closes it.
 */
final class ModelCallGate implements LlmBackend {

  private final LlmBackend backend;
  private final Semaphore calls;

  ModelCallGate(LlmBackend backend, int concurrency) {
    this.backend = backend;
    this.calls = new Semaphore(concurrency, true);
  }

  @Override
  public LlmResponse complete(LlmRequest request) {
    return gated(() -> backend.complete(request));
  }

  @Override
  public LlmResponse continueText(TextRequest request) {
    return gated(() -> backend.continueText(request));
  }

  /**
   * An interrupt while waiting (JobRunr stopping the server, or the job deleted) ends the job the
   * way an interrupted call does: retryable, so JobRunr runs it again.
   */
  private LlmResponse gated(Supplier<LlmResponse> call) {
    try {
      calls.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("interrupted while waiting for a free call to the model", e);
    }
    try {
      return call.get();
    } finally {
      calls.release();
    }
  }

  @Override
  public String name() {
    return backend.name();
  }

  @Override
  public String model() {
    return backend.model();
  }

  @Override
  public int contextWindow() {
    return backend.contextWindow();
  }

  @Override
  public int countTokens(String text) {
    return backend.countTokens(text);
  }

  @Override
  public boolean exactTokenCounts() {
    return backend.exactTokenCounts();
  }

  @Override
  public PromptShape promptShape() {
    return backend.promptShape();
  }

  @Override
  public void close() {
    // the backend belongs to the command that created it
  }
}
