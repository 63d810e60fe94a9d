package io.codegloss.scheduler.queue;

import io.codegloss.core.config.Exposure;
import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.WatchedServer;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.thread.DaemonThreads;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.index.watch.RepoWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
   * @param watch re-index a repository as soon as a file of it changes, not only every interval
   */
  public record Options(
      Duration interval,
      int jobrunrPort,
      @Nullable String dashboardUser,
      @Nullable String dashboardPassword,
      int pollSeconds,
      int timeoutMultiplicand,
      int retries,
      String jobrunrHost,
      boolean watch) {

    /** JobRunr's dashboard on loopback; repositories are not watched. */
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
          Exposure.LOOPBACK,
          false);
    }
  }

  /** Re-indexes one repository root and returns its id. */
  public interface Reindexer extends ToLongFunction<Path> {
    /**
     * Re-indexes only the paths a watcher saw change (relative to the root); by default the whole
     * repository.
     */
    default long reindex(Path root, Set<String> changed) {
      return applyAsLong(root);
    }

    /**
     * Writes the changed paths (their spans are pending when this returns) and leaves the call
     * resolution for {@link #resolve}; by default nothing is left.
     */
    default Deferred reindexDeferring(Path root, Set<String> changed) {
      return new Deferred(reindex(root, changed), null);
    }

    /** Resolves the calls {@link #reindexDeferring} left. */
    default void resolve(Indexer.OwedCalls owed) {}

    /** A repository whose edits are written, and the call resolution they still owe (or null). */
    record Deferred(long repoId, Indexer.@Nullable OwedCalls owed) {}

    /** The indexer's whole and scoped runs. */
    static Reindexer of(Indexer indexer) {
      return new Reindexer() {
        @Override
        public long applyAsLong(Path root) {
          return indexer.index(root).repoId();
        }

        @Override
        public long reindex(Path root, Set<String> changed) {
          return indexer.index(root, changed).repoId();
        }

        @Override
        public Deferred reindexDeferring(Path root, Set<String> changed) {
          Indexer.DeferredRun run = indexer.indexDeferringCalls(root, changed);
          return new Deferred(run.report().repoId(), run.owed());
        }

        @Override
        public void resolve(Indexer.OwedCalls owed) {
          indexer.resolve(owed);
        }
      };
    }
  }

  /** Quiet time that ends a burst of file events (an editor's save is several within a few ms). */
  static final Duration WATCH_QUIET = Duration.ofMillis(75);

  /** Longest wait for a burst to end: a file written continuously is still re-indexed. */
  static final Duration WATCH_MAX_DELAY = Duration.ofMillis(400);

  private final Database db;
  private final EnqueueService enqueue;
  private final Sweeper sweeper;
  private final Reindexer reindexer;
  private final Options options;
  private final WatchedServer master;
  private @Nullable JobRunrDashboard dashboard;
  private final ScheduledExecutorService ticker;
  private final @Nullable RepoWatcher watcher;

  /**
   * Edits flow in two stages so that a save never waits for the previous save's call resolution
   * (1-3.5 s on the stdlib): the ticker thread writes the changed files (the edited spans are
   * pending at each file's commit), collecting every edit that arrived meanwhile into one run; the
   * resolver thread then resolves the calls all those runs owe in one pass and enqueues. A tick's
   * whole re-index and a resolution never overlap ({@link #resolution}).
   */
  private final Object editsLock = new Object();

  /**
   * Failed writes of edits per repository. A write can lose a deadlock to the resolver's pass over
   * the same rows; waiting for the next interval (30 s) would make that edit look ignored, so it is
   * tried again after 1, 2 and 4 s first.
   */
  private final Map<Path, Integer> editRetries = new HashMap<>();

  private static final int EDIT_RETRIES = 3;

  private final Map<Path, Set<String>> editedPaths = new LinkedHashMap<>();
  private final Set<Path> editedWhole = new LinkedHashSet<>();
  private boolean draining;
  private final Map<Long, Indexer.@Nullable OwedCalls> owed = new HashMap<>();
  private boolean resolving;
  private final ExecutorService resolver;
  private final ReentrantLock resolution = new ReentrantLock();

  public SchedulerProcess(
      Database db,
      Queue queue,
      EnqueueService enqueue,
      Sweeper sweeper,
      Reindexer reindexer,
      Options options) {
    this(db, queue, enqueue, sweeper, reindexer, options, null);
  }

  /**
   * @param walker the indexer's walker, whose rules decide which folders are watched; null (or
   *     {@code options.watch()} false): edits are picked up every interval only
   */
  public SchedulerProcess(
      Database db,
      Queue queue,
      EnqueueService enqueue,
      Sweeper sweeper,
      Reindexer reindexer,
      Options options,
      @Nullable RepoWalker walker) {
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
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("codegloss-scheduler"));
    this.resolver = Executors.newSingleThreadExecutor(DaemonThreads.named("codegloss-resolver"));
    this.watcher =
        options.watch() && walker != null
            ? new RepoWatcher(walker, WATCH_QUIET, WATCH_MAX_DELAY, this::edited)
            : null;
  }

  /**
   * The watcher saw files of {@code root} change: collect them and, unless the ticker is already
   * writing edits (it takes these too when it is done with its current ones), have the ticker's
   * thread write them, so that it never runs beside a tick's index of the same repository.
   */
  private void edited(Path root, @Nullable Set<String> changed) {
    synchronized (editsLock) {
      if (changed == null) {
        editedWhole.add(root);
        editedPaths.remove(root);
      } else if (!editedWhole.contains(root)) {
        editedPaths.computeIfAbsent(root, k -> new TreeSet<>()).addAll(changed);
      }
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      ticker.execute(this::drainEdits);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Writes edits until none is waiting: those that arrived during a write go together next. */
  private void drainEdits() {
    boolean done = false;
    try {
      while (true) {
        Set<Path> whole;
        Map<Path, Set<String>> paths;
        synchronized (editsLock) {
          if (editedWhole.isEmpty() && editedPaths.isEmpty()) {
            draining = false;
            done = true;
            return;
          }
          whole = new LinkedHashSet<>(editedWhole);
          paths = new LinkedHashMap<>(editedPaths);
          editedWhole.clear();
          editedPaths.clear();
        }
        for (Path root : whole) {
          reindexEdits(root, null);
        }
        paths.forEach(this::reindexEdits);
      }
    } finally {
      if (!done) {
        synchronized (editsLock) {
          draining = false;
        }
      }
    }
  }

  private void reindexEdits(Path root, @Nullable Set<String> changed) {
    try {
      if (!Files.isDirectory(root)) {
        return;
      }
      if (changed == null) {
        resolution.lock();
        try {
          long repoId = reindexer.applyAsLong(root);
          EnqueueService.Result r = enqueue.enqueue(repoId);
          log.info(
              "{}: whole repository re-indexed after edits; {} pending spans, {} new jobs",
              root,
              r.pendingSpans(),
              r.newJobs());
        } finally {
          resolution.unlock();
        }
        return;
      }
      Reindexer.Deferred d = reindexer.reindexDeferring(root, changed);
      log.debug("{}: {} edited paths written; calls resolved next", root, changed.size());
      synchronized (editsLock) {
        editRetries.remove(root);
      }
      owe(d.repoId(), d.owed());
    } catch (CodeglossException e) {
      retryEdits(root, changed, e.oneLine());
    } catch (RuntimeException | LinkageError | AssertionError e) {
      retryEdits(root, changed, WatchedServer.oneLine(e));
      log.debug("re-index failure", e);
    }
  }

  private void retryEdits(Path root, @Nullable Set<String> changed, String why) {
    int attempt;
    synchronized (editsLock) {
      attempt = editRetries.merge(root, 1, Integer::sum);
      if (attempt > EDIT_RETRIES) {
        editRetries.remove(root);
      }
    }
    if (attempt > EDIT_RETRIES) {
      log.warn("re-indexing edits failed, the next round tries again: {}", why);
      return;
    }
    long seconds = 1L << (attempt - 1);
    log.warn("re-indexing edits failed, trying again in {} s: {}", seconds, why);
    try {
      ticker.schedule(() -> edited(root, changed), seconds, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Adds a repository's debt of calls and starts the resolver unless it is running. */
  private void owe(long repoId, Indexer.@Nullable OwedCalls calls) {
    synchronized (editsLock) {
      merge(repoId, calls);
      if (resolving) {
        return;
      }
      resolving = true;
    }
    try {
      resolver.execute(this::resolveOwed);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void merge(long repoId, Indexer.@Nullable OwedCalls calls) {
    if (!owed.containsKey(repoId)) {
      owed.put(repoId, calls);
      return;
    }
    Indexer.OwedCalls before = owed.get(repoId);
    owed.put(repoId, before == null ? calls : calls == null ? before : before.merge(calls));
  }

  /**
   * Resolves every repository's owed calls and enqueues its pending spans, until no debt is left. A
   * resolution that fails (a file rewritten under it) is kept for the next edit or round.
   */
  private void resolveOwed() {
    boolean done = false;
    try {
      while (true) {
        List<Map.Entry<Long, Indexer.@Nullable OwedCalls>> batch;
        synchronized (editsLock) {
          if (owed.isEmpty()) {
            resolving = false;
            done = true;
            return;
          }
          batch = new ArrayList<>(owed.entrySet());
          owed.clear();
        }
        for (int i = 0; i < batch.size(); i++) {
          long repoId = batch.get(i).getKey();
          Indexer.OwedCalls calls = batch.get(i).getValue();
          if (!resolveAndEnqueue(repoId, calls)) {
            synchronized (editsLock) {
              for (Map.Entry<Long, Indexer.@Nullable OwedCalls> e :
                  batch.subList(i, batch.size())) {
                merge(e.getKey(), e.getValue());
              }
              resolving = false;
              done = true;
            }
            return;
          }
        }
      }
    } finally {
      if (!done) {
        synchronized (editsLock) {
          resolving = false;
        }
      }
    }
  }

  private boolean resolveAndEnqueue(long repoId, Indexer.@Nullable OwedCalls calls) {
    resolution.lock();
    try {
      if (calls != null) {
        reindexer.resolve(calls);
      }
      EnqueueService.Result r = enqueue.enqueue(repoId);
      log.info(
          "repository {}: edits re-indexed; {} pending spans, {} new jobs",
          repoId,
          r.pendingSpans(),
          r.newJobs());
      return true;
    } catch (CodeglossException e) {
      log.warn(
          "resolving the calls of edits failed, the next edit or round tries again: {}",
          e.oneLine());
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.warn(
          "resolving the calls of edits failed, the next edit or round tries again: {}",
          WatchedServer.oneLine(e));
      log.debug("resolution failure", e);
    } finally {
      resolution.unlock();
    }
    return false;
  }

  /** True while {@code root} (a real path) is watched for edits. */
  public boolean watching(Path root) {
    return watcher != null && watcher.watching(root);
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
    resolution.lock();
    try {
      tickLocked();
    } finally {
      resolution.unlock();
    }
  }

  private void tickLocked() {
    for (Repo repo : repositories()) {
      Path root = Path.of(repo.root());
      if (!Files.isDirectory(root)) {
        log.warn("repository {} is not reachable from this machine; skipping its re-index", root);
      } else {
        if (watcher != null) {
          // before the re-index, so that an edit made during it is seen
          watcher.watch(root);
        }
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
    if (watcher != null) {
      watcher.close();
    }
    ticker.shutdownNow();
    resolver.shutdownNow();
    try {
      // a re-index in flight finishes its file (or stops at the interrupt) before the pool closes
      if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the scheduler's round did not stop within 10 s; closing anyway");
      }
      if (!resolver.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the scheduler's call resolution did not stop within 10 s; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
