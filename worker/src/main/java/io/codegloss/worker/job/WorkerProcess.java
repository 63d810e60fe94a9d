package io.codegloss.worker.job;

import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobDispatcher;
import io.codegloss.core.job.EnrichJobHandler;
import io.codegloss.core.queue.CapacityStorageProvider;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.WakeListener;
import io.codegloss.core.queue.WatchedServer;
import io.codegloss.core.store.WorkerState;
import io.codegloss.core.store.WorkerTable;
import io.codegloss.core.thread.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: a JobRunr BackgroundJobServer with this machine's own limits. It fetches only jobs that
 * fit {@code maxTokens} (see {@link io.codegloss.core.queue.CapacityStorageProvider}) and runs at
 * most {@code concurrency} at once, registers itself with a heartbeat, and drains on stop.
 */
public final class WorkerProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  /** JobRunr's settings that every server in one deployment must share. */
  public record ServerTiming(int pollSeconds, int timeoutMultiplicand, int retries) {
    public static final ServerTiming DEFAULT = new ServerTiming(5, 12, 3);
  }

  private final Database db;
  private final WorkerIdentity identity;
  private final WatchedServer server;
  private final AtomicInteger running = new AtomicInteger();
  private final CallLoad calls;
  // A fetch that JobRunr skipped is asked again this often, MIN_GAP apart (0.5 s in all).
  private static final int POKE_ATTEMPTS = 20;
  private final ScheduledExecutorService heartbeat;
  private final CapacityStorageProvider storage;
  private final @Nullable WakeListener wake;
  private volatile WorkerState state = WorkerState.RUNNING;

  /** A worker that wakes up when jobs are enqueued (see {@link WakeListener}). */
  public WorkerProcess(
      Database db,
      Queue queue,
      WorkerIdentity identity,
      EnrichJobHandler handler,
      String backend,
      String model,
      String version,
      ServerTiming timing) {
    this(db, queue, identity, handler, backend, model, version, timing, true, CallLoad.NONE);
  }

  /**
   * @param wake whether to listen for enqueued jobs ({@value WorkerSettings#WAKE}); without it new
   *     work is noticed at JobRunr's next poll only
   * @param calls the handler's calls to the model ({@link ModelCallGate}), reported with each
   *     heartbeat
   */
  public WorkerProcess(
      Database db,
      Queue queue,
      WorkerIdentity identity,
      EnrichJobHandler handler,
      String backend,
      String model,
      String version,
      ServerTiming timing,
      boolean wake,
      CallLoad calls) {
    this.db = db;
    this.identity = identity;
    this.calls = calls;
    this.storage = queue.storage();
    EnrichJobHandler counted =
        request -> {
          running.incrementAndGet();
          try {
            handler.run(request);
          } finally {
            running.decrementAndGet();
          }
        };
    JobActivator activator =
        new JobActivator() {
          @Override
          public <T> T activateJob(Class<T> type) {
            if (type == EnrichJobDispatcher.class) {
              return type.cast(new EnrichJobDispatcher(counted));
            }
            if (type.isAssignableFrom(EnrichJobHandler.class) || type == EnrichJobHandler.class) {
              return type.cast(counted);
            }
            return null;
          }
        };
    // A factory, not one server: JobRunr stops its server for good after a long storage outage,
    // and the heartbeat thread then replaces it with a new one (see WatchedServer).
    this.server =
        new WatchedServer(
            "worker " + identity.name(),
            () -> {
              BackgroundJobServer s =
                  new BackgroundJobServer(
                      queue.storage(),
                      queue.jsonMapper(),
                      activator,
                      BackgroundJobServerConfiguration
                          .usingStandardBackgroundJobServerConfiguration()
                          .andName(identity.name())
                          .andWorkerCount(identity.jobThreads())
                          .andPollIntervalInSeconds(timing.pollSeconds())
                          .andServerTimeoutPollIntervalMultiplicand(timing.timeoutMultiplicand())
                          .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(
                              Duration.ofSeconds(5)));
              s.setJobFilters(List.of(new RetryFilter(timing.retries())));
              return s;
            });
    db.inTransaction(
        (Database.TxAction)
            c ->
                WorkerTable.register(
                    c,
                    new WorkerTable.Registration(
                        identity.name(),
                        identity.host(),
                        identity.maxTokens(),
                        identity.concurrency(),
                        backend,
                        model,
                        version)));
    this.wake =
        wake
            ? new WakeListener(
                identity.name(),
                () -> db.openDedicated("codegloss wake " + identity.name()),
                this::lookForWork)
            : null;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("codegloss-heartbeat"));
  }

  public void start() {
    server.start();
    if (wake != null) {
      wake.start();
    }
    heartbeat.scheduleAtFixedRate(this::beat, 0, 5, TimeUnit.SECONDS);
    log.info(
        "worker {} started: max {} tokens, {} at once",
        identity.name(),
        identity.maxTokens(),
        identity.concurrency());
  }

  /**
   * Every few seconds: bring the JobRunr server back if it stopped itself, and say "alive" only
   * while it runs, so that {@code status} never counts a worker that cannot take a job.
   */
  private void beat() {
    // drain and close write their own states; a late beat must not overwrite them
    if (state != WorkerState.RUNNING || !server.ensureRunning(this::databaseAnswers)) {
      return;
    }
    // Checked again once the connection is in hand: waiting for it can outlast the outage that
    // made JobRunr stop its server, and a heartbeat decided before that wait would then announce a
    // worker with no JobRunr server behind it (the race the outage e2e test caught).
    try {
      db.inTransaction(
          (Database.TxAction)
              c -> {
                if (server.isRunning()) {
                  beat(c);
                }
              });
    } catch (RuntimeException e) {
      log.warn("heartbeat failed: {}", WatchedServer.oneLine(e));
    }
  }

  /**
   * Jobs were enqueued: with a free slot, fetch now. Runs on the wake-up listener's poke thread.
   *
   * <p>A fetch that just ended (JobRunr's poll) may have handed out jobs whose threads do not count
   * as busy yet; waiting out the gap keeps this fetch from taking jobs for those slots too. JobRunr
   * skips the fetch when one is already running (its poll, or a job thread that just finished), and
   * that one may have read the queue before the announced commit; so unless a fetch began after the
   * call, it is asked again a moment later, a few times at most.
   */
  private void lookForWork() {
    for (int attempt = 0; attempt < POKE_ATTEMPTS; attempt++) {
      if (state != WorkerState.RUNNING || running.get() >= identity.jobThreads()) {
        return;
      }
      long wait = WakeListener.MIN_GAP.toNanos() - storage.nanosSinceLastFetch();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long begun = storage.fetchesStarted();
      if (!server.lookForWorkNow() || storage.fetchesStarted() != begun) {
        return;
      }
      LockSupport.parkNanos(WakeListener.MIN_GAP.toNanos());
    }
  }

  /** True while this worker hears enqueue notifications (false when turned off or disconnected). */
  public boolean listening() {
    return wake != null && wake.listening();
  }

  private boolean databaseAnswers() {
    try {
      return db.withConnection(c -> c.isValid(2));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The drain's own state change; the drain and then close report an outage themselves. */
  private void writeDrainingState() {
    try {
      db.inTransaction((Database.TxAction) this::beat);
    } catch (RuntimeException e) {
      log.debug("heartbeat failed: {}", WatchedServer.oneLine(e));
    }
  }

  private void beat(Connection c) throws SQLException {
    WorkerTable.heartbeat(
        c,
        identity.name(),
        running.get(),
        calls.inFlight(),
        calls.busyPercentSinceLastAsked(),
        state);
  }

  private void stopListening() {
    if (wake != null) {
      wake.close();
    }
  }

  public int runningJobs() {
    return running.get();
  }

  /**
   * True when nothing is left that this worker could take: no enqueued, scheduled (retry) or
   * processing job of ours that fits its limit, and none running here.
   */
  public boolean idle() {
    if (running.get() > 0) {
      return false;
    }
    return db.withConnection(
            c -> CapacityStorageProvider.countUnfinishedFitting(c, identity.maxTokens()))
        == 0;
  }

  /**
   * Stops fetching, lets running jobs finish (up to {@code grace}), then stops the server. Never
   * throws: it runs in a shutdown hook, also when the database or the JobRunr server is gone.
   */
  public void drain(Duration grace) {
    state = WorkerState.DRAINING;
    stopListening();
    writeDrainingState();
    server.pauseProcessing();
    long deadline = System.nanoTime() + grace.toNanos();
    while (running.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (running.get() > 0) {
      log.warn(
          "worker {}: {} jobs still running after {} s; JobRunr will retry them elsewhere",
          identity.name(),
          running.get(),
          grace.toSeconds());
    }
    close();
  }

  @Override
  public void close() {
    state = WorkerState.STOPPED;
    stopListening();
    heartbeat.shutdownNow();
    server.stop();
    try {
      db.inTransaction(
          (Database.TxAction) c -> WorkerTable.heartbeat(c, identity.name(), 0, 0, 0, state));
    } catch (RuntimeException e) {
      // the row keeps its last state and ages into "dead" on the dashboards
      log.warn(
          "worker {}: cannot record 'stopped' (database unreachable?): {}",
          identity.name(),
          WatchedServer.oneLine(e));
    }
  }
}
