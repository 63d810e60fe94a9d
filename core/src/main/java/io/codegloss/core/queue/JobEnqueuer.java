package io.codegloss.core.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobRequest;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobTable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes our row for each job (with its size, which the capacity fetch reads) and hands it to
 * JobRunr under the same deterministic id. A job whose row already exists is left alone, so
 * enqueueing the same plan twice does nothing the second time.
 *
 * <p>The two writes cannot share a transaction (JobRunr uses its own connections). Our row is
 * written first; should the JobRunr write be lost, the sweeper finds the row without a JobRunr job
 * and enqueues it again.
 */
public final class JobEnqueuer {

  private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);

  private final Database db;
  private final JobRequestScheduler scheduler;

  public JobEnqueuer(Database db, JobRequestScheduler scheduler) {
    this.db = db;
    this.scheduler = scheduler;
  }

  /** Enqueues the plans; returns the ids that were new (the others were already there). */
  public List<UUID> enqueue(List<JobPlan> plans) {
    List<UUID> fresh = new ArrayList<>();
    for (JobPlan plan : plans) {
      boolean inserted = db.inTransaction((Database.TxWork<Boolean>) c -> JobTable.insert(c, plan));
      if (inserted) {
        submit(plan.id());
        fresh.add(plan.id());
      }
    }
    if (!fresh.isEmpty()) {
      log.info("enqueued {} new jobs ({} planned)", fresh.size(), plans.size());
    }
    return fresh;
  }

  /** Hands an already recorded job to JobRunr; a job JobRunr already knows is left as it is. */
  public void submit(UUID id) {
    try {
      scheduler.enqueue(id, new EnrichJobRequest(id));
    } catch (ConcurrentJobModificationException e) {
      log.debug("job {} was already known to JobRunr", id);
    }
  }
}
