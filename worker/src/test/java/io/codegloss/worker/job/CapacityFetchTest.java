package io.codegloss.worker.job;

import static io.codegloss.testing.Rows.count;
import static io.codegloss.testing.Rows.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobHandler;
import io.codegloss.core.queue.CapacityStorageProvider;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobPriority;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Real JobRunr servers on real PostgreSQL: a server never starts a job larger than its limit and
 * never runs more than its concurrency, and enqueueing the same plan twice does nothing twice.
 */
class CapacityFetchTest {

  private static final WorkerProcess.ServerTiming FAST = new WorkerProcess.ServerTiming(5, 4, 1);

  @Test
  void aSmallWorkerTakesOnlyJobsThatFitWhileALargeOneTakesTheRest() throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      Queue client = Queue.openClientOnly(db.dataSource());
      JobEnqueuer enqueuer = new JobEnqueuer(db, client);
      List<JobPlan> plans = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        plans.add(plan(repo, "small-" + i, 1_000));
        plans.add(plan(repo, "large-" + i, 6_000));
      }
      assertThat(enqueuer.enqueue(plans)).hasSize(8);

      Map<UUID, String> ranOn = new ConcurrentHashMap<>();
      try (WorkerProcess small = worker(db, "small", 2_048, 1, ranOn, Duration.ZERO)) {
        small.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> ranOn.size() == 4);
        // Give the small worker more polls: it must not touch the large jobs.
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> true);
      }
      assertThat(ranOn.values()).containsOnly("small");
      assertThat(tokensOf(db, ranOn.keySet())).allMatch(tokens -> tokens <= 2_048);

      try (WorkerProcess large = worker(db, "large", 8_192, 2, ranOn, Duration.ZERO)) {
        large.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> ranOn.size() == 8);
      }
      assertThat(ranOn.entrySet()).filteredOn(e -> e.getValue().equals("large")).hasSize(4);
    }
  }

  @Test
  void aWorkerNeverRunsMoreJobsAtOnceThanItsConcurrency() throws Exception {
    assertThat(peakJobsAtOnce(new WorkerIdentity("w", "localhost", 4_096, 2))).isEqualTo(2);
  }

  @Test
  void aWorkerRunsItsJobsAheadBesideItsConcurrency() throws Exception {
    // two calls at once, one job ahead: JobRunr runs three (the gate keeps the calls at two)
    assertThat(peakJobsAtOnce(new WorkerIdentity("w", "localhost", 4_096, 2, 1))).isEqualTo(3);
  }

  @Test
  void aBusyWorkersHeartbeatTellsItsCallsToTheModelApartFromItsJobsAhead() throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      enqueueJobs(t, 3);
      // two calls at once and one job ahead: all three jobs run, two of them in a call
      ModelCallGate gate = new ModelCallGate(2);
      CountDownLatch answer = new CountDownLatch(1);
      EnrichJobHandler calling =
          request -> {
            try (ModelCallGate.Slot slot = gate.enter()) {
              answer.await();
            }
          };
      try (WorkerProcess w =
          new WorkerProcess(
              db,
              Queue.open(db.dataSource(), () -> 4_096),
              new WorkerIdentity("w", "localhost", 4_096, 2, 1),
              calling,
              "test",
              "none",
              "test",
              FAST,
              true,
              gate)) {
        w.start();
        // a heartbeat interval spent wholly in both calls, then one spent wholly idle
        awaitHeartbeat(db, "3 jobs, 2 calls, 100 % busy");
        answer.countDown();
        awaitHeartbeat(db, "0 jobs, 0 calls, 0 % busy");
      }
    }
  }

  private static void awaitHeartbeat(Database db, String shown) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                strings(
                    db,
                    "select current_jobs || ' jobs, ' || current_calls || ' calls, '"
                        + " || calls_busy_pct || ' % busy' from workers where name = 'w'"),
            rows -> rows.equals(List.of(shown)));
  }

  /** {@code n} jobs of 500 tokens in a fresh repository. */
  private static void enqueueJobs(TestDatabase t, int n) {
    Database db = t.database();
    long repo = Seed.into(t).repo("/src/app").repoId();
    List<JobPlan> plans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      plans.add(plan(repo, "job-" + i, 500));
    }
    new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).enqueue(plans);
  }

  /** Six jobs of 700 ms each on one worker: the most that ever ran at once. */
  private static int peakJobsAtOnce(WorkerIdentity identity) throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      enqueueJobs(t, 6);
      AtomicInteger now = new AtomicInteger();
      AtomicInteger peak = new AtomicInteger();
      Map<UUID, String> ranOn = new ConcurrentHashMap<>();
      EnrichJobHandler slow =
          request -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
              Thread.sleep(700);
            } finally {
              now.decrementAndGet();
            }
            ranOn.put(request.jobId(), "w");
          };
      try (WorkerProcess w =
          new WorkerProcess(
              db,
              Queue.open(db.dataSource(), () -> 4_096),
              identity,
              slow,
              "test",
              "none",
              "test",
              FAST)) {
        w.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ranOn.size() == 6);
      }
      return peak.get();
    }
  }

  @Test
  void enqueueingTheSamePlanTwiceEnqueuesNothingTheSecondTime() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      JobEnqueuer enqueuer = new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()));
      List<JobPlan> plans = List.of(plan(repo, "a", 100), plan(repo, "b", 100));
      assertThat(enqueuer.enqueue(plans)).hasSize(2);
      assertThat(enqueuer.enqueue(plans)).isEmpty();
      assertThat(count(db, "select count(*) from jobrunr_jobs")).isEqualTo(2);
      assertThat(count(db, "select count(*) from jobs")).isEqualTo(2);
    }
  }

  @Test
  void aChangedSpansJobIsFetchedBeforeOlderBulkJobs() throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      JobEnqueuer enqueuer = new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()));
      List<JobPlan> bulk = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        bulk.add(plan(repo, "bulk-" + i, 500));
      }
      enqueuer.enqueue(bulk);
      JobPlan edited = plan(repo, "edited", 500);
      enqueuer.enqueue(
          List.of(
              new JobPlan(
                  edited.id(),
                  repo,
                  null,
                  JobKind.SINGLE,
                  List.of(),
                  500,
                  250,
                  "test",
                  null,
                  JobPriority.INTERACTIVE)));

      List<UUID> order = java.util.Collections.synchronizedList(new ArrayList<>());
      EnrichJobHandler record = request -> order.add(request.jobId());
      try (WorkerProcess w =
          new WorkerProcess(
              db,
              Queue.open(db.dataSource(), () -> 4_096),
              new WorkerIdentity("w", "localhost", 4_096, 1),
              record,
              "test",
              "none",
              "test",
              FAST)) {
        w.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> order.size() == 13);
      }
      assertThat(order.get(0)).isEqualTo(edited.id());
    }
  }

  @Test
  void aFetchReadsAlongIndexesHoweverLongTheQueueIs() {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      long repo = Seed.into(t).repo("/src/app").repoId();
      // 20,000 enqueued jobs whose JobRunr order (updatedAt) is unrelated to ours, 300 of them
      // interactive: the shape in which the earlier fetch scanned every job for every fetch.
      db.inTransaction(
          c -> {
            try (var st = c.createStatement()) {
              st.execute(
                  "insert into jobs (id, repo_id, kind, tokens, span_tokens, priority, created_at)"
                      + " select gen_random_uuid(), "
                      + repo
                      + ", 'single', 100 + i % 5000, 50, case when i % 67 = 0 then 'interactive'"
                      + " else 'bulk' end, now() - make_interval(secs => i)"
                      + " from generate_series(1, 20000) i");
              st.execute(
                  "insert into jobrunr_jobs (id, version, jobasjson, jobsignature, state,"
                      + " createdat, updatedat) select cast(id as character(36)), 1, '{}', 'x',"
                      + " 'ENQUEUED', now(), now() - random() * interval '1 day' from jobs");
              st.execute("analyze jobs");
              st.execute("analyze jobrunr_jobs");
            }
          });

      for (String fetch :
          List.of(
              CapacityStorageProvider.INTERACTIVE_FETCH + " order by j.created_at",
              CapacityStorageProvider.BULK_FETCH + " order by r.updatedAt")) {
        String sql =
            "explain (format json) select "
                + fetch.replace(":state", "'ENQUEUED'").replace(":maxTokens", "2048")
                + " limit 8 for update of r skip locked";
        String plan = String.join("\n", strings(db, sql));
        assertThat(plan)
            .as(sql)
            .contains("Index Scan")
            .doesNotContain("\"Seq Scan\"", "\"Hash Join\"", "\"Materialize\"", "\"Sort\"");
      }
    }
  }

  private static WorkerProcess worker(
      Database db,
      String name,
      int maxTokens,
      int concurrency,
      Map<UUID, String> ranOn,
      Duration work) {
    EnrichJobHandler record =
        request -> {
          ranOn.put(request.jobId(), name);
          if (!work.isZero()) {
            Thread.sleep(work.toMillis());
          }
        };
    return new WorkerProcess(
        db,
        Queue.open(db.dataSource(), () -> maxTokens),
        new WorkerIdentity(name, "localhost", maxTokens, concurrency),
        record,
        "test",
        "none",
        "test",
        FAST);
  }

  private static JobPlan plan(long repo, String key, int tokens) {
    UUID id =
        UUID.nameUUIDFromBytes((repo + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new JobPlan(id, repo, null, JobKind.BATCH, List.of(), tokens, tokens / 2, "test", null);
  }

  private static List<Integer> tokensOf(Database db, Set<UUID> ids) {
    return db.withConnection(
        c -> {
          List<Integer> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement("select tokens from jobs where id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getInt(1));
              }
            }
          }
          return out;
        });
  }
}
