package io.codegloss.scheduler.queue;

import io.codegloss.core.config.Exposure;
import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.WatchedServer;
import io.codegloss.core.store.RepositoryTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running scheduler: on every tick it re-indexes each registered repository, plans and
 * enqueues its pending spans, and sweeps failed jobs into single-span jobs. It is also a JobRunr
 * server that never takes a job (its capacity is 0), so that a JobRunr master is alive even when no
 * worker is (orphan detection, retries), and it serves JobRunr's own dashboard.
 */
public final class SchedulerProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchedulerProcess.class);

  /**
   * @param interval time between ticks
   * @param jobrunrPort port of JobRunr's dashboard, or 0 for none
   * @param dashboardUser basic-auth user of JobRunr's dashboard, or null for none
   * @param jobrunrHost the address JobRunr's dashboard binds
   */
  public record Options(
      Duration interval,
      int jobrunrPort,
      @Nullable String dashboardUser,
      @Nullable String dashboardPassword,
      int pollSeconds,
      int timeoutMultiplicand,
      int retries,
      String jobrunrHost) {

    /** JobRunr's dashboard on loopback. */
    public Options(
        Duration interval,
        int jobrunrPort,
        @Nullable String dashboardUser,
        @Nullable String dashboardPassword,
        int pollSeconds,
        int timeoutMultiplicand,
        int retries) {
      this(
          interval,
          jobrunrPort,
          dashboardUser,
          dashboardPassword,
          pollSeconds,
          timeoutMultiplicand,
          retries,
          Exposure.LOOPBACK);
    }
  }

  /** Re-indexes one repository root and returns its id. */
  public interface Reindexer extends ToLongFunction<Path> {}

  private final Database db;
  private final EnqueueService enqueue;
  private final Sweeper sweeper;
  private final Reindexer reindexer;
  private final Options options;
  private final WatchedServer master;
  private @Nullable JobRunrDashboard dashboard;
  private final ScheduledExecutorService ticker;

  public SchedulerProcess(
      Database db,
      Queue queue,
      EnqueueService enqueue,
      Sweeper sweeper,
      Reindexer reindexer,
      Options options) {
    this.db = db;
    this.enqueue = enqueue;
    this.sweeper = sweeper;
    this.reindexer = reindexer;
    this.options = options;
    // A factory, not one server: JobRunr stops its server for good after a long storage outage;
    // the ticker thread replaces it (see WatchedServer) so that a JobRunr master stays alive.
    this.master =
        new WatchedServer(
            "scheduler",
            () -> {
              BackgroundJobServer s =
                  new BackgroundJobServer(
                      queue.storage(),
                      queue.jsonMapper(),
                      new NoJobActivator(),
                      BackgroundJobServerConfiguration
                          .usingStandardBackgroundJobServerConfiguration()
                          .andName("scheduler")
                          .andWorkerCount(1)
                          .andPollIntervalInSeconds(options.pollSeconds())
                          .andServerTimeoutPollIntervalMultiplicand(options.timeoutMultiplicand()));
              s.setJobFilters(List.of(new RetryFilter(options.retries())));
              return s;
            });
    if (options.jobrunrPort() > 0) {
      // Not JobRunrDashboardWebServer: it cannot bind one host nor refuse cross-site requests.
      this.dashboard =
          new JobRunrDashboard(
              queue.storage(),
              queue.jsonMapper(),
              options.jobrunrHost(),
              options.jobrunrPort(),
              options.dashboardUser(),
              options.dashboardPassword());
    }
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "codegloss-scheduler");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    master.start();
    if (dashboard != null) {
      dashboard.start();
    }
    ticker.scheduleWithFixedDelay(
        this::tickSafely, 0, options.interval().toMillis(), TimeUnit.MILLISECONDS);
    ticker.scheduleWithFixedDelay(this::watchMaster, 5, 5, TimeUnit.SECONDS);
  }

  /**
   * A scheduled task that throws is never run again, so nothing may escape: one line on the
   * console, the stack trace only in the log file (debug).
   */
  private void tickSafely() {
    try {
      tick();
    } catch (CodeglossException e) {
      log.warn("scheduler tick failed, will try again: {}", e.oneLine());
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.warn("scheduler tick failed, will try again: {}", WatchedServer.oneLine(e));
      log.debug("scheduler tick failure", e);
    }
  }

  /** Brings the JobRunr master back once the database answers after an outage. */
  private void watchMaster() {
    try {
      master.ensureRunning(this::databaseAnswers);
    } catch (RuntimeException e) {
      log.warn("watching the JobRunr server failed, will try again: {}", WatchedServer.oneLine(e));
    }
  }

  private boolean databaseAnswers() {
    try {
      return db.withConnection(c -> c.isValid(2));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True while the JobRunr master runs (it is restarted after an outage). */
  public boolean jobServerRunning() {
    return master.isRunning();
  }

  /** One round: re-index, enqueue and sweep every registered repository. */
  public void tick() {
    for (Repo repo : repositories()) {
      Path root = Path.of(repo.root());
      if (!Files.isDirectory(root)) {
        log.warn("repository {} is not reachable from this machine; skipping its re-index", root);
      } else {
        reindexer.applyAsLong(root);
      }
      EnqueueService.Result r = enqueue.enqueue(repo.id());
      if (r.newJobs() > 0) {
        log.info(
            "{}: {} pending spans, {} new jobs ({} batches, {} singles planned)",
            root,
            r.pendingSpans(),
            r.newJobs(),
            r.batches(),
            r.singles());
      }
    }
    sweeper.sweep();
  }

  private record Repo(long id, String root) {}

  private List<Repo> repositories() {
    return db.withConnection(c -> RepositoryTable.all(c)).stream()
        .sorted(java.util.Comparator.comparingLong(RepositoryTable.Row::id))
        .map(r -> new Repo(r.id(), r.rootPath()))
        .toList();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (dashboard != null) {
      dashboard.close();
    }
    master.stop();
  }

  /** The scheduler's server fetches nothing (capacity 0), so it is never asked for a job. */
  private static final class NoJobActivator implements org.jobrunr.server.JobActivator {
    @Override
    public <T> T activateJob(Class<T> type) {
      throw new IllegalStateException("the scheduler does not run jobs: " + type.getName());
    }
  }
}
