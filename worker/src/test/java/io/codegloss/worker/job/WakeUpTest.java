package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobHandler;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.queue.WakeChannel;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobTable;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Real workers on real PostgreSQL with JobRunr's poll set to a minute: a job enqueued after the
 * worker started is only picked up within seconds because the enqueue notifies the worker.
 */
class WakeUpTest {

  /** JobRunr polls once about a second after start and then only after a minute. */
  private static final WorkerProcess.ServerTiming SLOW_POLL =
      new WorkerProcess.ServerTiming(60, 4, 1);

  /** Far below the poll: only a wake-up can be this fast. */
  private static final Duration WELL_BEFORE_THE_POLL = Duration.ofSeconds(5);

  @Test
  void aJobEnqueuedWhileTheWorkerIdlesIsPickedUpLongBeforeThePoll() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      Set<UUID> ran = ConcurrentHashMap.newKeySet();
      try (WorkerProcess w = worker(db, ran, true)) {
        w.start();
        awaitPastTheFirstPoll(w);
        JobPlan job = plan(repo, "edited");
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).enqueue(List.of(job));
        await().atMost(WELL_BEFORE_THE_POLL).until(() -> ran.contains(job.id()));
      }
    }
  }

  @Test
  void withWakeUpOffTheSameJobWaitsForThePoll() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      Set<UUID> ran = ConcurrentHashMap.newKeySet();
      Queue queue = Queue.open(db.dataSource(), () -> 4_096);
      try (WorkerProcess w = worker(db, queue, ran, false)) {
        long startedAt = System.nanoTime();
        w.start();
        // Past JobRunr's first poll (however late a loaded machine runs it): only the next is left.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> queue.storage().nanosSinceLastFetch() < System.nanoTime() - startedAt);
        assertThat(w.listening()).isFalse();
        JobPlan job = plan(repo, "edited");
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).enqueue(List.of(job));
        await()
            .pollDelay(WELL_BEFORE_THE_POLL)
            .atMost(WELL_BEFORE_THE_POLL.plusSeconds(1))
            .until(() -> true);
        assertThat(ran).doesNotContain(job.id());
      }
    }
  }

  @Test
  void aListenerWhoseConnectionIsKilledReconnectsAndStillWakesTheWorker() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      Set<UUID> ran = ConcurrentHashMap.newKeySet();
      try (WorkerProcess w = worker(db, ran, true)) {
        w.start();
        awaitPastTheFirstPoll(w);
        int before = listenerPid(db);
        assertThat(terminate(db, before)).isTrue();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> w.listening() && listenerPid(db) != before && listenerPid(db) != 0);

        JobPlan job = plan(repo, "after-the-outage");
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).enqueue(List.of(job));
        await().atMost(WELL_BEFORE_THE_POLL).until(() -> ran.contains(job.id()));
      }
    }
  }

  @Test
  void aClosedWorkerStopsListeningAndClosesItsConnection() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      WorkerProcess w = worker(db, ConcurrentHashMap.newKeySet(), true);
      w.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> listenerPid(db) != 0);
      w.close();
      assertThat(w.listening()).isFalse();
      await().atMost(Duration.ofSeconds(5)).until(() -> listenerPid(db) == 0);
    }
  }

  @Test
  void anEnqueueAnnouncesOncePerCommittedChunkNotOncePerJob() throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      try (Connection listener = db.openDedicated("test listener");
          Statement s = listener.createStatement()) {
        s.execute("listen " + WakeChannel.NAME);
        List<JobPlan> plans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          plans.add(plan(repo, "job-" + i));
        }
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()), 2).enqueue(plans);

        List<PGNotification> heard = new ArrayList<>();
        PGConnection pg = listener.unwrap(PGConnection.class);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> {
                  PGNotification[] got = pg.getNotifications(100);
                  if (got != null) {
                    heard.addAll(List.of(got));
                  }
                  return heard.size() >= 3;
                });
        PGNotification[] more = pg.getNotifications(500);
        assertThat(more == null ? 0 : more.length).isZero();
        assertThat(heard).hasSize(3).allMatch(n -> n.getName().equals(WakeChannel.NAME));
      }
    }
  }

  @Test
  void aSingleJobSubmittedOnItsOwnIsAnnouncedToo() throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      try (Connection listener = db.openDedicated("test listener");
          Statement s = listener.createStatement()) {
        s.execute("listen " + WakeChannel.NAME);
        // a split batch's single: our row first, then JobRunr's own save (JobEnqueuer.submit)
        JobPlan single = plan(repo, "single");
        db.inTransaction((Database.TxWork<Boolean>) c -> JobTable.insert(c, single));
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).submit(single.id());

        PGConnection pg = listener.unwrap(PGConnection.class);
        List<PGNotification> heard = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> {
                  PGNotification[] got = pg.getNotifications(100);
                  if (got != null) {
                    heard.addAll(List.of(got));
                  }
                  return !heard.isEmpty();
                });
        assertThat(heard).hasSize(1);
      }
    }
  }

  /**
   * JobRunr's first poll comes about a second after start; a job enqueued before it would be found
   * without any wake-up.
   */
  private static void awaitPastTheFirstPoll(WorkerProcess w) {
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).until(w::listening);
  }

  private static WorkerProcess worker(Database db, Set<UUID> ran, boolean wake) {
    return worker(db, Queue.open(db.dataSource(), () -> 4_096), ran, wake);
  }

  private static WorkerProcess worker(Database db, Queue queue, Set<UUID> ran, boolean wake) {
    EnrichJobHandler record = request -> ran.add(request.jobId());
    return new WorkerProcess(
        db,
        queue,
        new WorkerIdentity("w", "localhost", 4_096, 2),
        record,
        "test",
        "none",
        "test",
        SLOW_POLL,
        wake,
        CallLoad.NONE);
  }

  /** The backend of the worker's listener, 0 when there is none. */
  private static int listenerPid(Database db) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select pid from pg_stat_activity where datname = current_database()"
                      + " and application_name = 'codegloss wake w' and query ilike 'listen%'")) {
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getInt(1) : 0;
            }
          }
        });
  }

  private static boolean terminate(Database db, int pid) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("select pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }

  private static JobPlan plan(long repo, String key) {
    UUID id = UUID.nameUUIDFromBytes((repo + key).getBytes(StandardCharsets.UTF_8));
    return new JobPlan(id, repo, null, JobKind.BATCH, List.of(), 500, 250, "test", null);
  }
}
