package io.codegloss.core.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobRequest;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.filters.JobDefaultFilters;
import org.jobrunr.jobs.filters.JobFilterUtils;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes our row for each job (with its size and priority, which the capacity fetch reads) and
 * hands it to JobRunr under the same deterministic id. A job whose row already exists is left
 * alone, so enqueueing the same plan twice does nothing the second time.
 *
 * <p>Plans are written in chunks of up to {@value #CHUNK} jobs (the first ones smaller, so that
 * workers start at once), each chunk in ONE transaction: our rows and job spans with one multi-row
 * insert each, JobRunr's jobs with its own bulk insert on the same connection. A process killed
 * halfway therefore leaves whole chunks, each job with both its rows or neither, and a second run
 * adds exactly the missing ones. Plans are read from an iterator, so a whole repository never has
 * to be held in memory.
 */
public final class JobEnqueuer {

  /** Jobs per transaction: large enough that round trips vanish, small enough to stream. */
  public static final int CHUNK = 1000;

  /**
   * The first chunk's size; each next chunk is twice the last, up to {@link #CHUNK}. Workers wait
   * for the first commit, and planning a full first chunk held them back for most of a second.
   */
  static final int FIRST_CHUNK = 32;

  /**
   * New jobs after which the tables' statistics are refreshed at once rather than whenever
   * autovacuum comes by: plans read the job tables and go badly wrong on stale statistics.
   */
  static final int ANALYZE_AFTER = 1000;

  private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);

  /** Told after each committed chunk: plans read so far and how many of them were new. */
  public interface Progress {
    Progress NONE = (planned, fresh) -> {};

    void committed(int planned, int fresh);
  }

  /** What one enqueue did: plans read, and the ids of those that were new. */
  public record Outcome(int planned, List<UUID> fresh) {}

  private final Database db;
  private final CapacityStorageProvider storage;
  private final JobRequestScheduler scheduler;
  private final int chunkSize;
  // The filters JobRunr's scheduler runs on every job it creates (display name, retry policy).
  private final JobFilterUtils filters = new JobFilterUtils(new JobDefaultFilters());

  public JobEnqueuer(Database db, Queue queue) {
    this(db, queue, CHUNK);
  }

  /** With {@code chunk} jobs per transaction (tests use small ones to cross chunk boundaries). */
  public JobEnqueuer(Database db, Queue queue, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("a chunk holds at least one job, not " + chunk);
    }
    this.db = db;
    this.storage = queue.storage();
    this.scheduler = queue.scheduler();
    this.chunkSize = chunk;
  }

  /** Enqueues the plans; returns the ids that were new (the others were already there). */
  public List<UUID> enqueue(List<JobPlan> plans) {
    return enqueueAll(plans.iterator(), Progress.NONE).fresh();
  }

  /** Enqueues every plan the iterator yields, a chunk per transaction. */
  public Outcome enqueueAll(Iterator<JobPlan> plans, Progress progress) {
    Writer w = writer(progress);
    while (plans.hasNext()) {
      w.add(plans.next());
    }
    return w.finish();
  }

  /** A writer that plans are pushed into; each full chunk is committed at once. */
  public Writer writer(Progress progress) {
    return new Writer(progress);
  }

  /** Collects plans and commits them a chunk at a time; {@link #finish} commits the rest. */
  public final class Writer {
    private final Progress progress;
    private final List<JobPlan> chunk = new ArrayList<>();
    private final List<UUID> fresh = new ArrayList<>();
    private int planned;
    private int limit = Math.min(FIRST_CHUNK, chunkSize);

    private Writer(Progress progress) {
      this.progress = progress;
    }

    public void add(JobPlan plan) {
      chunk.add(plan);
      if (chunk.size() >= limit) {
        flush();
        limit = Math.min(chunkSize, limit * 2);
      }
    }

    public Outcome finish() {
      flush();
      if (!fresh.isEmpty()) {
        log.info("enqueued {} new jobs ({} planned)", fresh.size(), planned);
      }
      if (fresh.size() >= ANALYZE_AFTER) {
        db.withConnection(
            c -> {
              JobTable.analyze(c);
              CapacityStorageProvider.analyze(c);
              return null;
            });
      }
      return new Outcome(planned, List.copyOf(fresh));
    }

    private void flush() {
      if (chunk.isEmpty()) {
        return;
      }
      planned += chunk.size();
      fresh.addAll(writeChunk(chunk));
      chunk.clear();
      progress.committed(planned, fresh.size());
    }
  }

  private List<UUID> writeChunk(List<JobPlan> chunk) {
    try {
      return db.inTransaction(
          (Database.TxWork<List<UUID>>)
              c -> {
                List<UUID> ids = JobTable.insertAll(c, chunk);
                List<Job> jobs = new ArrayList<>(ids.size());
                for (UUID id : ids) {
                  jobs.add(new Job(id, new JobDetails(new EnrichJobRequest(id))));
                }
                filters.runOnCreatingFilter(jobs);
                storage.insertNew(c, jobs);
                return ids;
              });
    } catch (ConcurrentJobModificationException e) {
      // JobRunr knows one of these ids without our row (written by hand, or by an older version
      // that wrote the two apart): one job at a time, each known one left as it is.
      log.warn(
          "a chunk of {} jobs met jobs JobRunr already had; writing them one by one", chunk.size());
      return oneByOne(chunk);
    }
  }

  private List<UUID> oneByOne(List<JobPlan> chunk) {
    List<UUID> fresh = new ArrayList<>();
    for (JobPlan plan : chunk) {
      boolean inserted = db.inTransaction((Database.TxWork<Boolean>) c -> JobTable.insert(c, plan));
      if (inserted) {
        submit(plan.id());
        fresh.add(plan.id());
      }
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
