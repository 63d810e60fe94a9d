package io.codegloss.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.db.Database;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.testing.Rows;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real index of a small generated repository, enqueued into real JobRunr tables in chunks of 4
 * jobs, so that every run crosses several chunk boundaries.
 */
class EnqueueServiceTest {

  private static final int CHUNK = 4;

  @TempDir Path repo;
  private TestDatabase testDb;
  private Database db;
  private long repoId;

  @BeforeEach
  void indexARepositoryOfTwelveFiles() throws Exception {
    for (int f = 0; f < 12; f++) {
      StringBuilder code = new StringBuilder();
      for (int fn = 0; fn < 5; fn++) {
        code.append("def f")
            .append(f)
            .append('_')
            .append(fn)
            .append("(x):\n    return x + ")
            .append(fn)
            .append("\n\n");
      }
      Files.writeString(repo.resolve("m" + f + ".py"), code.toString());
    }
    testDb = TestDatabase.fresh();
    db = testDb.database();
    repoId = index();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  @Test
  void aSecondEnqueueAddsNothing() {
    EnqueueService.Result first = service().enqueue(repoId);
    EnqueueService.Result second = service().enqueue(repoId);

    assertThat(first.pendingSpans()).isEqualTo(60);
    assertThat(first.newJobs()).isGreaterThan(2 * CHUNK);
    assertThat(second.pendingSpans()).isZero();
    assertThat(second.newJobs()).isZero();
    assertEveryPendingSpanIsInExactlyOneJobKnownToJobRunr(first.newJobs());
  }

  @Test
  void anEnqueueThatDiesAfterTwoChunksAndRunsAgainEndsWithEveryJobExactlyOnce() {
    int[] chunks = {0};
    JobEnqueuer.Progress dieAfterTwo =
        (planned, fresh) -> {
          if (++chunks[0] == 2) {
            throw new IllegalStateException("killed after two chunks");
          }
        };
    assertThatThrownBy(() -> service().enqueue(repoId, dieAfterTwo)).hasMessageContaining("killed");
    assertThat(count("select count(*) from jobs")).isEqualTo(2 * CHUNK);
    assertThat(count("select count(*) from jobrunr_jobs")).isEqualTo(2 * CHUNK);
    long spansBefore = spansInJobs();

    EnqueueService.Result again = service().enqueue(repoId);

    assertThat(again.pendingSpans()).isEqualTo(60 - spansBefore);
    long jobs = count("select count(*) from jobs");
    assertThat(jobs).isEqualTo(2 * CHUNK + again.newJobs());
    assertEveryPendingSpanIsInExactlyOneJobKnownToJobRunr(jobs);
  }

  @Test
  void theFirstJobsAreCommittedAtOnceAndEachNextChunkIsTwiceTheLastUpToTheFullSize() {
    List<JobPlan> plans = new ArrayList<>();
    List<String> spans = strings("select id || ' ' || content_hash from spans order by id");
    for (int i = 0; i < 1100; i++) {
      String[] span = spans.get(i % spans.size()).split(" ");
      List<JobPlan.SpanRef> refs = List.of(new JobPlan.SpanRef(Long.parseLong(span[0]), span[1]));
      plans.add(
          new JobPlan(
              JobPlan.plannedId(JobKind.SINGLE, 1, i, refs),
              repoId,
              null,
              JobKind.SINGLE,
              refs,
              JobSizing.jobTokens(10, 1),
              10,
              "test",
              null));
    }
    List<Integer> commits = new ArrayList<>();

    new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()))
        .enqueueAll(plans.iterator(), (planned, fresh) -> commits.add(planned));

    assertThat(commits).containsExactly(32, 96, 224, 480, 992, 1100);
    assertThat(count("select count(*) from jobrunr_jobs")).isEqualTo(1100);
  }

  @Test
  void onlyTheJobOfASpanEditedAfterTheFirstEnqueueIsInteractive() throws Exception {
    service().enqueue(repoId);
    assertThat(priorities()).containsOnly("bulk");

    Path m3 = repo.resolve("m3.py");
    Files.writeString(m3, Files.readString(m3).replace("return x + 2", "return x * 2"));
    index();
    EnqueueService.Result r = service().enqueue(repoId);

    assertThat(r.newJobs()).isEqualTo(1);
    assertThat(
            strings(
                "select j.priority || ' ' || s.symbol from jobs j"
                    + " join job_spans js on js.job_id = j.id join spans s on s.id = js.span_id"
                    + " where j.priority = 'interactive'"))
        .containsExactly("interactive f3_2");
  }

  private EnqueueService service() {
    return new EnqueueService(
        db,
        new BatchPlanner(PlanSettings.defaults()),
        new JobEnqueuer(db, Queue.openClientOnly(db.dataSource()), CHUNK));
  }

  private long index() {
    return new Indexer(db, IndexSettings.defaults()).index(repo).repoId();
  }

  private void assertEveryPendingSpanIsInExactlyOneJobKnownToJobRunr(long jobs) {
    assertThat(count("select count(*) from job_spans")).isEqualTo(60);
    assertThat(count("select count(distinct span_id) from job_spans")).isEqualTo(60);
    assertThat(count("select count(*) from jobrunr_jobs")).isEqualTo(jobs);
    assertThat(
            count(
                "select count(*) from jobs j join jobrunr_jobs r on r.id = cast(j.id as text)"
                    + " where r.state = 'ENQUEUED'"))
        .isEqualTo(jobs);
  }

  private long spansInJobs() {
    return count("select count(*) from job_spans");
  }

  private List<String> priorities() {
    return strings("select distinct priority from jobs");
  }

  private long count(String sql) {
    return Rows.count(db, sql);
  }

  private List<String> strings(String sql) {
    return Rows.strings(db, sql);
  }
}
