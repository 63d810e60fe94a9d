package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.error.RetryableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gate between a worker's jobs and its model: never more calls at once than allowed. */
class ModelCallGateTest {

  /** A call that lasts until {@code release} opens, counting the calls in flight. */
  private static final class Calls {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger made = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    void call(ModelCallGate gate) throws InterruptedException {
      try (ModelCallGate.Slot slot = gate.enter()) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        made.incrementAndGet();
        release.await(10, TimeUnit.SECONDS);
        inFlight.decrementAndGet();
      }
    }

    /** {@code n} jobs on {@code pool}, each making one call. */
    List<Future<?>> start(ExecutorService pool, ModelCallGate gate, int n) {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        started.add(
            pool.submit(
                () -> {
                  call(gate);
                  return null;
                }));
      }
      return started;
    }
  }

  @Test
  void sixJobsCallingAtOnceReachTheModelTwoAtATime() throws Exception {
    Calls calls = new Calls();
    ModelCallGate gate = new ModelCallGate(2);
    ExecutorService jobs = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = calls.start(jobs, gate, 6);
      await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 4);
      assertThat(calls.inFlight.get()).isEqualTo(2);
      assertThat(gate.inFlight()).isEqualTo(2);

      calls.release.countDown();
      for (Future<?> d : done) {
        d.get(5, TimeUnit.SECONDS);
      }
      assertThat(calls.made.get()).isEqualTo(6);
      assertThat(calls.peak.get()).isEqualTo(2);
    } finally {
      jobs.shutdownNow();
    }
  }

  @Test
  void aJobInterruptedWhileWaitingEndsRetryableAndFreesNoCallItDidNotHold() throws Exception {
    ModelCallGate gate = new ModelCallGate(1);
    ModelCallGate.Slot held = gate.enter();

    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                gate.enter().close();
              } catch (RuntimeException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 1);
    waiter.interrupt();
    waiter.join(5_000);

    assertThat(failure.get())
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("waiting for a free call");
    assertThat(stillInterrupted.get()).isTrue();

    // the interrupted waiter took no call: once the holder's ends, exactly one is free again
    held.close();
    Calls calls = new Calls();
    calls.release.countDown();
    calls.call(gate);
    assertThat(calls.made.get()).isEqualTo(1);
  }

  @Test
  void aSlotClosedTwiceFreesOneCall() throws Exception {
    ModelCallGate gate = new ModelCallGate(1);
    ModelCallGate.Slot slot = gate.enter();
    slot.close();
    slot.close();

    Calls calls = new Calls();
    ExecutorService jobs = Executors.newFixedThreadPool(2);
    try {
      calls.start(jobs, gate, 2);
      await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == 1);
      assertThat(calls.inFlight.get()).isEqualTo(1);
    } finally {
      calls.release.countDown();
      jobs.shutdown();
      assertThat(jobs.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(calls.peak.get()).isEqualTo(1);
  }

  @Test
  void theBusyShareIsTheAverageOfTheCallsHeldSinceItWasLastAsked() {
    ModelCallGate gate = new ModelCallGate(4);
    ModelCallGate.Slot held = gate.enter();
    gate.busyPercentSinceLastAsked(); // a window begins with one call of four held

    await().pollDelay(Duration.ofMillis(50)).until(() -> true);
    assertThat(gate.busyPercentSinceLastAsked()).isEqualTo(25);

    held.close();
    held.close();
    await().pollDelay(Duration.ofMillis(50)).until(() -> true);
    assertThat(gate.busyPercentSinceLastAsked()).isZero();
    assertThat(gate.inFlight()).isZero();
  }
}
