package io.codegloss.scheduler.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.queue.CapacityStorageProvider;
import io.codegloss.core.queue.CapacityStorageProvider.StuckJob;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.SpanFailureTable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no span is ever lost between our {@code jobs} table and JobRunr's.
 *
 * <ul>
 *   <li>a batch whose JobRunr job failed for good (retries exhausted after its workers died or its
 *       LLM kept failing) or was deleted in the JobRunr dashboard becomes single-span jobs;
 *   <li>a single-span job in that state records a span failure with backoff, so the planner offers
 *       the span again later instead of blocking on it;
 *   <li>a job row that JobRunr never heard of (the process died between the two writes) is handed
 *       to JobRunr again.
 * </ul>
 */
public final class Sweeper {

  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /** What one sweep did. */
  public record Report(int batchesSplit, int singlesFailed, int resubmitted) {
    public boolean didSomething() {
      return batchesSplit + singlesFailed + resubmitted > 0;
    }
  }

  private final Database db;
  private final JobEnqueuer enqueuer;
  private final int lostAfterSeconds;
  private final SpanFailureTable failures;

  public Sweeper(
      Database db, JobEnqueuer enqueuer, int lostAfterSeconds, SpanFailureTable failures) {
    this.db = db;
    this.enqueuer = enqueuer;
    this.lostAfterSeconds = lostAfterSeconds;
    this.failures = failures;
  }

  public Report sweep() {
    List<StuckJob> stuck =
        db.withConnection(c -> CapacityStorageProvider.stuckJobs(c, lostAfterSeconds));
    int split = 0;
    int failed = 0;
    int resubmitted = 0;
    for (StuckJob s : stuck) {
      if (s.jobRunrState() == null) {
        enqueuer.submit(s.id());
        resubmitted++;
      } else if (s.kind() == JobKind.BATCH) {
        split += splitBatch(s) ? 1 : 0;
      } else {
        failSingle(s);
        failed++;
      }
    }
    Report report = new Report(split, failed, resubmitted);
    if (report.didSomething()) {
      log.info(
          "sweeper: {} failed batches split into singles, {} singles failed, {} jobs resubmitted",
          split,
          failed,
          resubmitted);
    }
    return report;
  }

  private boolean splitBatch(StuckJob batch) {
    List<JobPlan> singles = new ArrayList<>();
    boolean changed =
        db.inTransaction(
            (Database.TxWork<Boolean>)
                c -> {
                  if (!JobTable.lockIfLive(c, batch.id())) {
                    return false;
                  }
                  for (JobTable.OpenSpan s : JobTable.openSpans(c, batch.id())) {
                    JobPlan.SpanRef ref = new JobPlan.SpanRef(s.spanId(), s.hash());
                    JobPlan single =
                        new JobPlan(
                            JobPlan.fallbackId(batch.id(), ref),
                            batch.repoId(),
                            batch.fileId(),
                            JobKind.SINGLE,
                            List.of(ref),
                            JobSizing.singleJobTokens(s.tokens()),
                            s.tokens(),
                            "batch job " + batch.jobRunrState(),
                            batch.id());
                    if (JobTable.insert(c, single)) {
                      singles.add(single);
                    }
                  }
                  JobTable.finish(
                      c, batch.id(), JobStatus.SPLIT, "JobRunr job " + batch.jobRunrState());
                  return true;
                });
    singles.forEach(s -> enqueuer.submit(s.id()));
    return changed;
  }

  private void failSingle(StuckJob single) {
    db.inTransaction(
        c -> {
          if (!JobTable.lockIfLive(c, single.id())) {
            return;
          }
          String error = "JobRunr job " + single.jobRunrState() + " after its retries";
          for (JobTable.OpenSpan s : JobTable.openSpans(c, single.id())) {
            failures.record(c, s.spanId(), s.hash(), error, false, null);
          }
          JobTable.finish(c, single.id(), JobStatus.FAILED, error);
        });
  }
}
