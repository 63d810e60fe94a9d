package io.codegloss.dashboard.view;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read that is too slow to repeat for every snapshot on a large database: every span's state
 * (200,000 spans through the span_state view) or the totals of every LLM call ever made. While it
 * answers fast it is read in the caller's transaction every time, exactly as before; once it took
 * longer than {@link #SLOW}, callers get the last answer with its time ({@code asOf}) and a
 * background refresh is started when that answer is older than 4x its own cost (at least {@link
 * #MIN_AGE}), so that the dashboard spends at most a fifth of a database connection on it however
 * many pages or API clients ask.
 */
final class SlowRead<T> {

  private static final Logger log = LoggerFactory.getLogger(SlowRead.class);

  /** Below this a read is simply repeated: small databases keep exact, same-transaction answers. */
  static final Duration SLOW = Duration.ofMillis(100);

  /** The live page's refresh period: no answer is refreshed more often. */
  static final Duration MIN_AGE = Duration.ofSeconds(2);

  /** An answer and when it was read. */
  record Answer<T>(T value, Instant asOf) {}

  private final String name;
  private final Database.TxWork<T> work;
  private final Executor refresher;
  private final Database.TxWork<Answer<T>> inOwnTransaction;
  private final java.util.function.Function<Database.TxWork<Answer<T>>, Answer<T>> read;
  private final long slowNanos;
  private final long minAgeNanos;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile @Nullable Answer<T> last;
  private volatile long lastCostNanos;
  private volatile long lastReadNanos;

  /**
   * @param read runs work in a new read-only transaction (the background refresh)
   */
  SlowRead(
      String name,
      Database.TxWork<T> work,
      Executor refresher,
      java.util.function.Function<Database.TxWork<Answer<T>>, Answer<T>> read) {
    this(name, work, refresher, read, SLOW, MIN_AGE);
  }

  SlowRead(
      String name,
      Database.TxWork<T> work,
      Executor refresher,
      java.util.function.Function<Database.TxWork<Answer<T>>, Answer<T>> read,
      Duration slow,
      Duration minAge) {
    this.slowNanos = slow.toNanos();
    this.minAgeNanos = minAge.toNanos();
    this.name = name;
    this.work = work;
    this.refresher = refresher;
    this.read = read;
    this.inOwnTransaction = this::readNow;
  }

  /** The answer, read now in {@code c} or the last one (see the class comment). */
  Answer<T> get(Connection c) throws SQLException {
    Answer<T> a = last;
    if (a == null || lastCostNanos < slowNanos) {
      return readNow(c);
    }
    long age = System.nanoTime() - lastReadNanos;
    if (age >= Math.max(minAgeNanos, 4 * lastCostNanos) && refreshing.compareAndSet(false, true)) {
      try {
        refresher.execute(this::refresh);
      } catch (RuntimeException e) {
        refreshing.set(false);
        throw e;
      }
    }
    return a;
  }

  private void refresh() {
    try {
      read.apply(inOwnTransaction);
    } catch (CodeglossException e) {
      log.warn("dashboard: refreshing {} failed, the last answer stays: {}", name, e.oneLine());
    } catch (RuntimeException e) {
      log.warn("dashboard: refreshing {} failed, the last answer stays: {}", name, e.toString());
    } finally {
      refreshing.set(false);
    }
  }

  private Answer<T> readNow(Connection c) throws SQLException {
    long started = System.nanoTime();
    Instant asOf = Instant.now();
    T value = work.apply(c);
    long cost = System.nanoTime() - started;
    Answer<T> a = new Answer<>(value, asOf);
    synchronized (this) {
      // a slower concurrent read must not replace a newer answer
      if (last == null || !asOf.isBefore(last.asOf())) {
        last = a;
        lastCostNanos = cost;
        lastReadNanos = started;
      }
    }
    if (cost >= slowNanos) {
      log.debug(
          "dashboard: {} took {} ms; served from its last answer from now on",
          name,
          cost / 1_000_000);
    }
    return a;
  }
}
