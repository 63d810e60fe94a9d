package io.codegloss.scheduler.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobPriority;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PendingSpans;
import io.codegloss.scheduler.plan.PlanSpan;
import io.codegloss.scheduler.plan.PlannedBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Plans the pending spans of a repository with the seed's rules and enqueues one JobRunr job per
 * batch (a one-span group is a single-span job). Ids are deterministic, so running it twice in a
 * row enqueues nothing the second time.
 */
public final class EnqueueService {

  /** What one enqueue did. */
  public record Result(int pendingSpans, int batches, int singles, int newJobs, int existingJobs) {}

  private final Database db;
  private final BatchPlanner planner;
  private final JobEnqueuer enqueuer;
  private final @Nullable Instant noRetrySince;

  public EnqueueService(Database db, BatchPlanner planner, JobEnqueuer enqueuer) {
    this(db, planner, enqueuer, null);
  }

  /**
   * @param noRetrySince spans that failed at or after this instant are not offered again by this
   *     service, whatever their backoff says: a run that must end ({@code up --until-done}) gives
   *     each span its planned job and its fallback, not an endless series of retries
   */
  public EnqueueService(
      Database db, BatchPlanner planner, JobEnqueuer enqueuer, @Nullable Instant noRetrySince) {
    this.db = db;
    this.planner = planner;
    this.enqueuer = enqueuer;
    this.noRetrySince = noRetrySince;
  }

  /** The batches that would be enqueued now, without enqueueing. */
  public List<PlannedBatch> plan(long repoId) {
    List<PlanSpan> pending = new PendingSpans(db).pending(repoId, PendingSpans.ALL_FILES);
    if (noRetrySince != null) {
      Set<Long> failedThisRun = failedSince(repoId, noRetrySince);
      pending = pending.stream().filter(s -> !failedThisRun.contains(s.spanId())).toList();
    }
    return planner.plan(pending);
  }

  private Set<Long> failedSince(long repoId, Instant since) {
    return db.withConnection(c -> SpanFailureTable.failedSince(c, repoId, since));
  }

  /**
   * Makes every span pending again by bumping the repository's generation: a whole-repository
   * re-enrichment. Enrichments of older generations stay readable until replaced.
   */
  public int bumpGeneration(long repoId) {
    return db.inTransaction(
        (Database.TxWork<Integer>) c -> RepositoryTable.bumpGeneration(c, repoId));
  }

  /**
   * Offers every failed span of the repository again in the next plan, permanent failures included:
   * what an operator wants after switching to a better model.
   *
   * @return the failed spans offered again
   */
  public int retryFailures(long repoId) {
    return db.inTransaction(
        (Database.TxWork<Integer>) c -> SpanFailureTable.offerRepositoryAgain(c, repoId));
  }

  public Result enqueue(long repoId) {
    return enqueue(repoId, JobEnqueuer.Progress.NONE);
  }

  /**
   * Plans and enqueues file by file while the pending spans stream in from one read, so neither the
   * spans nor the plans of a whole repository are held in memory; jobs are committed a chunk at a
   * time (see {@link JobEnqueuer}), and {@code progress} hears of each chunk.
   */
  public Result enqueue(long repoId, JobEnqueuer.Progress progress) {
    int generation = generation(repoId);
    Map<Long, Integer> rounds = failureRounds(repoId);
    Set<Long> failedThisRun = noRetrySince == null ? Set.of() : failedSince(repoId, noRetrySince);
    JobEnqueuer.Writer writer = enqueuer.writer(progress);
    int[] counts = new int[3]; // pending spans, batches, singles
    db.inTransaction(
        read -> {
          List<PlanSpan> file = new ArrayList<>();
          Set<Long> changed = new HashSet<>();
          SpanStates.forEachPlannable(
              read,
              repoId,
              PendingSpans.ALL_FILES,
              p -> {
                if (!file.isEmpty() && file.get(0).fileId() != p.fileId()) {
                  planFile(repoId, generation, rounds, file, changed, writer, counts);
                }
                if (!failedThisRun.contains(p.spanId())) {
                  file.add(PendingSpans.planSpan(p));
                  if (p.changed()) {
                    changed.add(p.spanId());
                  }
                }
              });
          planFile(repoId, generation, rounds, file, changed, writer, counts);
        });
    JobEnqueuer.Outcome outcome = writer.finish();
    int fresh = outcome.fresh().size();
    return new Result(counts[0], counts[1], counts[2], fresh, outcome.planned() - fresh);
  }

  private void planFile(
      long repoId,
      int generation,
      Map<Long, Integer> rounds,
      List<PlanSpan> file,
      Set<Long> changed,
      JobEnqueuer.Writer writer,
      int[] counts) {
    if (file.isEmpty()) {
      return;
    }
    for (PlannedBatch b : planner.plan(file)) {
      JobPlan plan = jobPlan(repoId, generation, rounds, changed, b);
      counts[0] += plan.spans().size();
      counts[plan.kind() == JobKind.SINGLE ? 2 : 1]++;
      writer.add(plan);
    }
    file.clear();
    changed.clear();
  }

  private static JobPlan jobPlan(
      long repoId, int generation, Map<Long, Integer> rounds, Set<Long> changed, PlannedBatch b) {
    List<JobPlan.SpanRef> refs = new ArrayList<>();
    int round = 0;
    boolean interactive = false;
    for (PlanSpan s : b.spans()) {
      refs.add(new JobPlan.SpanRef(s.spanId(), s.contentHash()));
      round = Math.max(round, rounds.getOrDefault(s.spanId(), 0));
      interactive |= changed.contains(s.spanId());
    }
    JobKind kind = refs.size() == 1 ? JobKind.SINGLE : JobKind.BATCH;
    UUID id = JobPlan.plannedId(kind, generation, round, refs);
    return new JobPlan(
        id,
        repoId,
        b.fileId(),
        kind,
        refs,
        b.jobTokens(),
        b.spanTokens(),
        b.reason().jsonName(),
        null,
        interactive ? JobPriority.INTERACTIVE : JobPriority.BULK);
  }

  private int generation(long repoId) {
    return db.withConnection(c -> RepositoryTable.generation(c, repoId));
  }

  /** Spans back from a failure backoff get a new job id (their old job already exists). */
  private Map<Long, Integer> failureRounds(long repoId) {
    return db.withConnection(c -> SpanFailureTable.attemptsOfCurrent(c, repoId));
  }
}
