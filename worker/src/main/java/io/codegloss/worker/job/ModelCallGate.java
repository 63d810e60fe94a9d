package io.codegloss.worker.job;

import io.codegloss.core.error.RetryableException;
import java.util.concurrent.Semaphore;

/**
 * At most {@code concurrency} calls to the model at once, however many jobs the worker runs.
 *
 * <p>A worker runs a few jobs more than its concurrency ({@link WorkerSettings#jobsAhead}): they
 * claim their spans and build their prompts while the model answers others, then wait here for a
 * free call. Every call to the backend is made inside a {@link Slot} (EnrichJobRunner,
 * DocCompletionRunner), and a call is timed from its slot's start: the wait is before the backend
 * starts its clock (an answered call's time, a call's deadline) and before a failed call's own
 * clock, so llm_calls.wall_ms is the call alone either way. The gate is fair: jobs call in the
 * order they became ready.
 */
final class ModelCallGate {

  private final int concurrency;
  private final Semaphore calls;

  ModelCallGate(int concurrency) {
    this.concurrency = concurrency;
    this.calls = new Semaphore(concurrency, true);
  }

  /**
   * Waits for a free call. An interrupt while waiting (JobRunr stopping the server, or the job
   * deleted) ends the job the way an interrupted call does: retryable, so JobRunr runs it again; no
   * call was made, so none is recorded.
   */
  Slot enter() {
    try {
      calls.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("interrupted while waiting for a free call to the model", e);
    }
    return new Slot(System.nanoTime());
  }

  /** Calls to the model in flight now (the worker's heartbeat reports them). */
  int inFlight() {
    return concurrency - calls.availablePermits();
  }

  /** Jobs waiting for a call now. */
  int waiting() {
    return calls.getQueueLength();
  }

  /** One call's turn at the model; closing it lets the next job in. */
  final class Slot implements AutoCloseable {
    private final long startedNanos;
    private boolean closed;

    private Slot(long startedNanos) {
      this.startedNanos = startedNanos;
    }

    /** Milliseconds since the slot was granted: a failed call's time. */
    long millis() {
      return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        calls.release();
      }
    }
  }
}
