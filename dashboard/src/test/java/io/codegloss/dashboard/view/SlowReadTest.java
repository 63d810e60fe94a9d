package io.codegloss.dashboard.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A slow read is served from its last answer and refreshed behind the callers' backs. */
class SlowReadTest {

  private final ExecutorService refresher = Executors.newSingleThreadExecutor();
  private final AtomicInteger reads = new AtomicInteger();

  @AfterEach
  void stop() {
    refresher.shutdownNow();
  }

  private SlowRead<Integer> read(Duration slow, Duration minAge) {
    Database.TxWork<Integer> work = c -> reads.incrementAndGet();
    return new SlowRead<>(
        "test",
        work,
        refresher,
        w -> {
          try {
            return w.apply(null);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        slow,
        minAge);
  }

  @Test
  void aFastReadIsMadeForEveryCallerInItsOwnTransaction() throws Exception {
    SlowRead<Integer> r = read(Duration.ofHours(1), Duration.ZERO);

    assertThat(r.get(null).value()).isEqualTo(1);
    assertThat(r.get(null).value()).isEqualTo(2);
  }

  @Test
  void aSlowReadAnswersWithItsLastResultAndRefreshesInTheBackground() throws Exception {
    // every read counts as slow (threshold zero); answers older than zero are refreshed
    SlowRead<Integer> r = read(Duration.ZERO, Duration.ZERO);

    SlowRead.Answer<Integer> first = r.get(null);
    SlowRead.Answer<Integer> second = r.get(null);

    assertThat(first.value()).isEqualTo(1);
    assertThat(second.value()).as("served from the last answer").isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> r.get(null).value() > 1);
    assertThat(r.get(null).asOf()).isAfterOrEqualTo(first.asOf());
  }

  @Test
  void aYoungAnswerIsNotRefreshed() throws Exception {
    SlowRead<Integer> r = read(Duration.ZERO, Duration.ofHours(1));

    r.get(null);
    r.get(null);
    r.get(null);

    assertThat(reads).hasValue(1);
  }
}
