package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.error.RetryableException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanState;
import io.codegloss.core.store.SpanStates;
import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.Sweeper;
import io.codegloss.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running scheduler (its loop in process, with an interval of an hour) picks an edit up at
 * once: the watcher sees the save, the changed file alone is re-indexed, and its span is pending
 * again long before the next round would have come.
 */
class WatchedEditTest {

  @TempDir Path tmp;
  private Path repo;
  private TestDatabase testDb;
  private IndexFixture fx;
  private SchedulerProcess scheduler;

  @BeforeEach
  void indexAnEnrichedRepositoryAndStartTheScheduler() throws Exception {
    repo = Files.createDirectory(tmp.resolve("repo")).toRealPath();
    testDb = TestDatabase.fresh();
    fx = new IndexFixture(testDb.database(), repo);
    fx.write(".gitignore", "generated/\n*.tmp.py\n");
    fx.write("app/user.py", "class User:\n    def get(self):\n        return 1\n");
    fx.index();
    fx.enrich(fx.spans().get("app/user.py:User").id());
    fx.enrich(fx.spans().get("app/user.py:User.get").id());
    assertThat(state("app/user.py:User.get")).isEqualTo(SpanState.ENRICHED);

    startScheduler(SchedulerProcess.Reindexer.of(new Indexer(testDb.database(), INDEX)));
  }

  private static final IndexSettings INDEX = IndexSettings.defaults().withThreads(1);

  private void startScheduler(SchedulerProcess.Reindexer reindexer) {
    var db = testDb.database();
    Queue queue = Queue.openClientOnly(db.dataSource());
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue);
    scheduler =
        new SchedulerProcess(
            db,
            queue,
            new EnqueueService(db, new BatchPlanner(PlanSettings.defaults()), enqueuer),
            new Sweeper(db, enqueuer, 120, new SpanFailureTable(RetryPolicy.defaults())),
            reindexer,
            new SchedulerProcess.Options(
                Duration.ofHours(1), 0, null, null, 5, 12, 3, "127.0.0.1", true),
            new RepoWalker(INDEX.maxFileBytes(), INDEX.extraExcludes()));
    scheduler.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.watching(repo));
  }

  private long jobs() {
    return testDb.database().withConnection(c -> JobTable.countByKindAndStatus(c)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    testDb.close();
  }

  private SpanState state(String pathAndSymbol) {
    long id = fx.spans().get(pathAndSymbol).id();
    return testDb.database().withConnection(c -> SpanStates.state(c, id));
  }

  private void save(String path, String content) throws Exception {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  @Test
  void anEditedFunctionIsPendingAgainWithoutWaitingForTheInterval() throws Exception {
    String before = fx.spans().get("app/user.py:User.get").hash();

    save("app/user.py", "class User:\n    def get(self):\n        return 2\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state("app/user.py:User.get") == SpanState.FACTS_ONLY);
    assertThat(fx.spans().get("app/user.py:User.get").hash())
        .as("the stored code is the edited code")
        .isNotEqualTo(before);
    assertThat(state("app/user.py:User"))
        .as("the class's own code changed too: it holds the method")
        .isEqualTo(SpanState.FACTS_ONLY);
  }

  /** The indexer's own runs, for a test to hold or fail one step of. */
  private class RealReindexer implements SchedulerProcess.Reindexer {
    private final SchedulerProcess.Reindexer real =
        SchedulerProcess.Reindexer.of(new Indexer(testDb.database(), INDEX));

    @Override
    public long applyAsLong(Path root) {
      return real.applyAsLong(root);
    }

    @Override
    public Deferred reindexDeferring(Path root, Set<String> changed) {
      return real.reindexDeferring(root, changed);
    }

    @Override
    public void resolve(Indexer.OwedCalls owed) {
      real.resolve(owed);
    }
  }

  @Test
  void aSaveDuringThePreviousEditsCallResolutionIsPendingWithoutWaitingForIt() throws Exception {
    // the resolution of calls after an edit takes seconds on a large repository; here it is held
    // until the test lets it go, so a second save certainly arrives while it runs
    scheduler.close();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger resolutions = new AtomicInteger();
    startScheduler(
        new RealReindexer() {
          @Override
          public void resolve(Indexer.OwedCalls owed) {
            resolutions.incrementAndGet();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.resolve(owed);
          }
        });
    long jobsBefore = jobs();

    save("app/user.py", "class User:\n    def get(self):\n        return 2\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> state("app/user.py:User.get") == SpanState.FACTS_ONLY && resolutions.get() == 1);
    save("app/other.py", "def other():\n    return User().get()\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.spans().containsKey("app/other.py:other"));
    assertThat(state("app/other.py:other")).isEqualTo(SpanState.FACTS_ONLY);
    assertThat(release.getCount()).as("the first edit's resolution is still running").isOne();
    assertThat(jobs()).as("enqueueing follows the resolution").isEqualTo(jobsBefore);

    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs() > jobsBefore);
    assertThat(resolutions.get())
        .as("the second edit's calls were resolved with the first's or right after")
        .isBetween(1, 2);
  }

  @Test
  void anEditWhoseWriteFailedIsWrittenAgainWithinSecondsNotAtTheNextInterval() throws Exception {
    // a write of edits can lose a deadlock to the resolver's pass over the same rows
    scheduler.close();
    AtomicInteger writes = new AtomicInteger();
    startScheduler(
        new RealReindexer() {
          @Override
          public Deferred reindexDeferring(Path root, Set<String> changed) {
            if (writes.incrementAndGet() == 1) {
              throw new RetryableException("deadlock detected (injected)");
            }
            return super.reindexDeferring(root, changed);
          }
        });

    save("app/user.py", "class User:\n    def get(self):\n        return 3\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state("app/user.py:User.get") == SpanState.FACTS_ONLY);
    assertThat(writes.get()).as("the failed write and the one that succeeded").isEqualTo(2);
  }

  @Test
  void aFileInANewFolderIsIndexedAndTheFolderIsWatchedFromThenOn() throws Exception {
    save("lib/deep/tools.py", "def helper():\n    return 1\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.spans().containsKey("lib/deep/tools.py:helper"));

    save("lib/deep/tools.py", "def helper():\n    return 1\n\n\ndef other():\n    return 2\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.spans().containsKey("lib/deep/tools.py:other"));
  }

  @Test
  void aDeletedFileLosesItsSpans() throws Exception {
    save("app/extra.py", "def extra():\n    return 1\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.spans().containsKey("app/extra.py:extra"));

    Files.delete(repo.resolve("app/extra.py"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !fx.spans().containsKey("app/extra.py:extra"));
    assertThat(fx.spans()).containsKey("app/user.py:User.get");
  }

  @Test
  void ignoredFilesAndFoldersStayOutOfTheIndex() throws Exception {
    save("generated/out.py", "def generated():\n    return 1\n");
    save("app/scratch.tmp.py", "def scratch():\n    return 1\n");
    // a file that is indexed, saved after the ignored ones: once it is in, they were seen too
    save("app/marker.py", "def marker():\n    return 1\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.spans().containsKey("app/marker.py:marker"));
    List<String> paths = fx.spans().values().stream().map(IndexFixture.Row::path).toList();
    assertThat(paths).doesNotContain("generated/out.py", "app/scratch.tmp.py");
  }

  @Test
  void closingTheSchedulerStopsTheWatcherThread() {
    scheduler.close();
    SchedulerProcess closed = scheduler;
    scheduler = null;

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("codegloss-watch") && t.isAlive()));
    assertThat(closed.watching(repo)).isFalse();
  }
}
