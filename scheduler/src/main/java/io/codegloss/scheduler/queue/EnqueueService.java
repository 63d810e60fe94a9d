package io.codegloss.scheduler.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PendingSpans;
import io.codegloss.scheduler.plan.PlanSpan;
import io.codegloss.scheduler.plan.PlannedBatch;
import java.time.Instant;
import java.util.ArrayList;
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
    List<PlannedBatch> batches = plan(repoId);
    int generation = generation(repoId);
    Map<Long, Integer> rounds = failureRounds(repoId);
    List<JobPlan> plans = new ArrayList<>();
    int pending = 0;
    int singles = 0;
    for (PlannedBatch b : batches) {
      List<JobPlan.SpanRef> refs = new ArrayList<>();
      int round = 0;
      for (PlanSpan s : b.spans()) {
        refs.add(new JobPlan.SpanRef(s.spanId(), s.contentHash()));
        round = Math.max(round, rounds.getOrDefault(s.spanId(), 0));
      }
      pending += refs.size();
      JobKind kind = refs.size() == 1 ? JobKind.SINGLE : JobKind.BATCH;
      if (refs.size() == 1) {
        singles++;
      }
      UUID id = JobPlan.plannedId(kind, generation, round, refs);
      plans.add(
          new JobPlan(
              id,
              repoId,
              b.fileId(),
              kind,
              refs,
              b.jobTokens(),
              b.spanTokens(),
              b.reason().jsonName(),
              null));
    }
    int fresh = enqueuer.enqueue(plans).size();
    return new Result(pending, batches.size() - singles, singles, fresh, plans.size() - fresh);
  }

  private int generation(long repoId) {
    return db.withConnection(c -> RepositoryTable.generation(c, repoId));
  }

  /** Spans back from a failure backoff get a new job id (their old job already exists). */
  private Map<Long, Integer> failureRounds(long repoId) {
    return db.withConnection(c -> SpanFailureTable.attemptsOfCurrent(c, repoId));
  }
}
