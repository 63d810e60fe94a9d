package io.codegloss.core.queue;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JobRunr BackgroundJobServer that is brought back after it stops itself. JobRunr shuts its
 * server down for good ("An unrecoverable error occurred") when its storage stays unreachable for a
 * few poll intervals; a long-running worker or scheduler would then live on without capacity.
 * {@link #ensureRunning} replaces such a server with a new one once the database answers again.
 *
 * <p>{@link #ensureRunning} and {@link #stop} are synchronized so that a restart in progress on the
 * watcher thread cannot start a new server after a drain has stopped the old one.
 */
public final class WatchedServer {

  private static final Logger log = LoggerFactory.getLogger(WatchedServer.class);

  private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Supplier<BackgroundJobServer> factory;
  private volatile BackgroundJobServer server;
  private volatile boolean stopping;
  private boolean reportedDown;

  /**
   * @param name shown in the log, e.g. the worker's name
   * @param factory builds a new, not yet started server with the same settings
   */
  public WatchedServer(String name, Supplier<BackgroundJobServer> factory) {
    this.name = name;
    this.factory = factory;
    this.server = factory.get();
  }

  public void start() {
    server.start();
  }

  /** True while the JobRunr server runs: only then does this process have capacity. */
  public boolean isRunning() {
    try {
      return server.isRunning();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Called periodically: when JobRunr has stopped the server on its own and {@code
   * databaseReachable} says the storage answers again, starts a new server in its place. Never
   * throws; every outcome is one log line.
   *
   * @return whether a server runs after the call
   */
  public synchronized boolean ensureRunning(BooleanSupplier databaseReachable) {
    if (stopping) {
      return false;
    }
    if (isRunning()) {
      reportedDown = false;
      return true;
    }
    if (!reportedDown) {
      log.warn(
          "{}: the JobRunr server has stopped; it is restarted once the database answers", name);
      reportedDown = true;
    }
    try {
      if (!databaseReachable.getAsBoolean()) {
        return false;
      }
      stopQuietly(server);
      BackgroundJobServer fresh = factory.get();
      fresh.start();
      server = fresh;
      // Capacity exists once JobRunr has announced the server in its table; callers heartbeat only
      // after that, so nobody ever sees a live worker without a JobRunr server behind it.
      if (!awaitAnnounced(fresh)) {
        log.warn("{}: the new JobRunr server did not announce itself yet", name);
        return false;
      }
      log.warn("{}: the database answers again; a new JobRunr server is running", name);
      reportedDown = false;
      return true;
    } catch (RuntimeException e) {
      log.warn("{}: restarting the JobRunr server failed, will try again: {}", name, oneLine(e));
      return false;
    }
  }

  private static boolean awaitAnnounced(BackgroundJobServer s) {
    long deadline = System.nanoTime() + ANNOUNCE_TIMEOUT.toNanos();
    while (!s.isAnnounced() && s.isRunning() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return s.isAnnounced() && s.isRunning();
  }

  /**
   * Makes the running server look for enqueued jobs now rather than at its next poll (a no-op while
   * it is down or stopping, or has no free slot). JobRunr 8 has no public "poll now"; its job
   * threads look for work when they become idle, through the thread-safe onboarding task behind
   * {@code JobSteward.notifyThreadIdle}, which fetches only for free slots and skips when a fetch
   * is already running. The occupied/idle pair leaves JobRunr's count of busy slots as it was.
   *
   * @return false when the server is down or stopping (nothing was asked)
   */
  public boolean lookForWorkNow() {
    BackgroundJobServer s = server;
    if (stopping || !isRunning()) {
      return false;
    }
    JobSteward steward = s.getJobSteward();
    steward.notifyThreadOccupied();
    steward.notifyThreadIdle();
    return true;
  }

  /** Stops fetching new jobs; a server that is already down has nothing to pause. */
  public void pauseProcessing() {
    if (!isRunning()) {
      return;
    }
    try {
      server.pauseProcessing();
    } catch (RuntimeException e) {
      log.debug("pausing the job server", e);
    }
  }

  /** Stops the server for good; later {@link #ensureRunning} calls do nothing. */
  public synchronized void stop() {
    stopping = true;
    stopQuietly(server);
  }

  private static void stopQuietly(BackgroundJobServer s) {
    try {
      s.stop();
    } catch (RuntimeException e) {
      log.debug("stopping the job server", e);
    }
  }

  /** One line for the console: the exception's class and message, no stack trace. */
  public static String oneLine(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
  }
}
