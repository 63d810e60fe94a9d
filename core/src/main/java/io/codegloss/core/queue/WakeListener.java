package io.codegloss.core.queue;

import io.codegloss.core.thread.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@link WakeChannel} over a connection of its own and, on each notification, runs
 * {@code poke} (which makes a JobRunr server look for work now instead of at its next poll).
 *
 * <p>Two threads, both daemons: the listener only waits for notifications, so a slow poke (a fetch
 * from the database) never delays hearing the next one; the poker runs pokes, and a burst of
 * notifications becomes one poke, at most one per {@link #MIN_GAP}. The gap also lets the jobs the
 * previous fetch handed out start (JobRunr counts a busy slot only once its thread runs), so that a
 * second poke does not fetch for slots that are already taken.
 *
 * <p>When the connection dies (the database restarts, a pooler drops it) the listener reconnects
 * with backoff, silently: the worker already reports an outage once. After every (re)connect it
 * pokes once, since jobs may have been enqueued while nobody listened. JobRunr's poll stays the
 * fallback throughout.
 */
public final class WakeListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WakeListener.class);

  /** Opens a new connection outside any pool; the listener closes it. */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** The shortest time between two pokes. */
  public static final Duration MIN_GAP = Duration.ofMillis(25);

  // How long one wait for notifications lasts: bounds how late close() is noticed.
  private static final int WAIT_MILLIS = 500;
  // A half-open connection (no RST after a network cut) never fails a wait; a cheap round trip
  // this often finds it.
  private static final long CHECK_NANOS = Duration.ofSeconds(15).toNanos();
  private static final long FIRST_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Connector connector;
  private final Runnable poke;
  private final Thread listener;
  private final ScheduledExecutorService poker;
  private final AtomicBoolean pokePending = new AtomicBoolean();
  private final AtomicLong connects = new AtomicLong();
  private volatile long lastPokeNanos = System.nanoTime() - MIN_GAP.toNanos();
  private volatile boolean listening;
  private volatile boolean closed;

  /**
   * @param name shown in thread names, e.g. the worker's name
   * @param connector opens the dedicated connection (called again after each loss)
   * @param poke makes the server look for work; must not throw, may block briefly
   */
  public WakeListener(String name, Connector connector, Runnable poke) {
    this.connector = connector;
    this.poke = poke;
    this.listener = new Thread(this::listenLoop, "codegloss-wake-" + name);
    listener.setDaemon(true);
    this.poker =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("codegloss-wake-poke-" + name));
  }

  public void start() {
    listener.start();
  }

  /** True while subscribed on a live connection. */
  public boolean listening() {
    return listening;
  }

  /** How many times the channel was subscribed (1 + reconnects). */
  public long connects() {
    return connects.get();
  }

  private void listenLoop() {
    long backoff = FIRST_BACKOFF_MILLIS;
    while (!closed) {
      @Nullable Connection c = null;
      try {
        c = connector.open();
        WakeChannel.listen(c);
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        connects.incrementAndGet();
        backoff = FIRST_BACKOFF_MILLIS;
        requestPoke();
        long lastHeard = System.nanoTime();
        while (!closed) {
          PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
          if (heard != null && heard.length > 0) {
            requestPoke();
            lastHeard = System.nanoTime();
          } else if (System.nanoTime() - lastHeard > CHECK_NANOS) {
            if (!c.isValid(5)) {
              throw new SQLException("the connection stopped answering", "08006");
            }
            lastHeard = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.debug("wake-up listener: {}; reconnecting in {} ms", oneLine(e), backoff);
        }
      } finally {
        listening = false;
        closeQuietly(c);
      }
      if (!closed) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  /** Schedules one poke unless one is already waiting; never blocks. */
  private void requestPoke() {
    if (closed || !pokePending.compareAndSet(false, true)) {
      return;
    }
    long wait = Math.max(0, lastPokeNanos + MIN_GAP.toNanos() - System.nanoTime());
    try {
      poker.schedule(this::pokeNow, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pokePending.set(false);
    }
  }

  private void pokeNow() {
    // Cleared first: a notification that arrives during this poke schedules the next one.
    pokePending.set(false);
    try {
      poke.run();
    } catch (RuntimeException e) {
      log.debug("wake-up poke failed: {}", oneLine(e));
    } finally {
      lastPokeNanos = System.nanoTime();
    }
  }

  /** Stops both threads; the listener closes its connection itself within a moment. */
  @Override
  public void close() {
    closed = true;
    poker.shutdownNow();
    listener.interrupt();
    try {
      listener.join(WAIT_MILLIS + 1_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      log.debug("closing the wake-up connection: {}", oneLine(e));
    }
  }

  private static String oneLine(Throwable e) {
    return WatchedServer.oneLine(e);
  }
}
