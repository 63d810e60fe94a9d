package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.error.RetryableException;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmRequest;
import io.codegloss.worker.llm.LlmResponse;
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

  private static final LlmRequest REQUEST =
      new LlmRequest("system", "user", "{}", 16, Duration.ofSeconds(5));

  /** Counts the calls in flight; each call lasts until {@code release} opens. */
  private static final class CountingBackend implements LlmBackend {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public LlmResponse complete(LlmRequest request) {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      calls.incrementAndGet();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      return new LlmResponse("{}", 1, 1, "stop", 1, 1);
    }

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public String model() {
      return "m";
    }

    @Override
    public int contextWindow() {
      return 8192;
    }

    @Override
    public int countTokens(String text) {
      return text.length();
    }

    @Override
    public boolean exactTokenCounts() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void sixJobsCallingAtOnceReachTheModelTwoAtATime() throws Exception {
    CountingBackend backend = new CountingBackend();
    LlmBackend gate = new ModelCallGate(backend, 2);
    ExecutorService jobs = Executors.newFixedThreadPool(6);
    try {
      List<Future<LlmResponse>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(jobs.submit(() -> gate.complete(REQUEST)));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> backend.inFlight.get() == 2);
      // the other four wait at the gate, not at the model
      await().pollDelay(Duration.ofMillis(300)).until(() -> true);
      assertThat(backend.calls.get()).isEqualTo(2);

      backend.release.countDown();
      for (Future<LlmResponse> answer : answers) {
        assertThat(answer.get(5, TimeUnit.SECONDS).text()).isEqualTo("{}");
      }
      assertThat(backend.calls.get()).isEqualTo(6);
      assertThat(backend.peak.get()).isEqualTo(2);
    } finally {
      jobs.shutdownNow();
    }
  }

  @Test
  void aJobInterruptedWhileWaitingEndsRetryableAndFreesNoCallItDidNotHold() throws Exception {
    CountingBackend backend = new CountingBackend();
    LlmBackend gate = new ModelCallGate(backend, 1);
    Thread holder = new Thread(() -> gate.complete(REQUEST));
    holder.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> backend.inFlight.get() == 1);

    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                gate.complete(REQUEST);
              } catch (RuntimeException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.WAITING);
    waiter.interrupt();
    waiter.join(5_000);

    assertThat(failure.get())
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("waiting for a free call");
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(backend.calls.get()).isEqualTo(1);

    // the interrupted waiter took no permit: once the holder ends, the next call goes through
    backend.release.countDown();
    holder.join(5_000);
    assertThat(gate.complete(REQUEST).text()).isEqualTo("{}");
    assertThat(backend.peak.get()).isEqualTo(1);
  }
}
