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
final class ModelCallGate implements CallLoad {

  private final int concurrency;
  private final Semaphore calls;
  // Slot-nanoseconds in use: the integral of calls held over time, advanced at every entry, exit
  // and reading, so that the heartbeat reports an average and not whatever one instant shows.
  private long heldNanos;
  private long heldSince = System.nanoTime();
  private int held;
  private long askedHeldNanos;
  private long askedAt = heldSince;

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
    return new Slot(held(+1));
  }

  /** Calls to the model in flight now (the worker's heartbeat reports them). */
  @Override
  public int inFlight() {
    return concurrency - calls.availablePermits();
  }

  @Override
  public synchronized int busyPercentSinceLastAsked() {
    long now = held(0);
    long window = now - askedAt;
    long used = heldNanos - askedHeldNanos;
    askedAt = now;
    askedHeldNanos = heldNanos;
    return window <= 0 ? 0 : (int) Math.round(100.0 * used / ((double) window * concurrency));
  }

  /** Adds the time since the last change at the old count, then changes it; returns now. */
  private synchronized long held(int change) {
    long now = System.nanoTime();
    heldNanos += held * (now - heldSince);
    heldSince = now;
    held += change;
    return now;
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
        held(-1);
        calls.release();
      }
    }
  }
}
