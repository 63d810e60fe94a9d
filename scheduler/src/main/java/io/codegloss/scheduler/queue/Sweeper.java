package io.codegloss.scheduler.queue;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.SpanFailures;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.JobPlan;
import io.codegloss.core.queue.JobSizing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
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

  private record Stuck(
      UUID id, long repoId, @Nullable Long fileId, String kind, @Nullable String state) {}

  private final Database db;
  private final JobEnqueuer enqueuer;
  private final int lostAfterSeconds;
  private final SpanFailures failures;

  public Sweeper(Database db, JobEnqueuer enqueuer, int lostAfterSeconds, SpanFailures failures) {
    this.db = db;
    this.enqueuer = enqueuer;
    this.lostAfterSeconds = lostAfterSeconds;
    this.failures = failures;
  }

  public Report sweep() {
    List<Stuck> stuck =
        db.withConnection(
            c -> {
              List<Stuck> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select j.id, j.repo_id, j.file_id, j.kind, r.state from jobs j"
                          + " left join jobrunr_jobs r on r.id = cast(j.id as text)"
                          + " where j.status in ('enqueued', 'processing')"
                          + " and (r.state in ('FAILED', 'DELETED')"
                          + "      or (r.id is null and j.created_at < now() - make_interval(secs => ?)))")) {
                ps.setInt(1, lostAfterSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(
                        new Stuck(
                            rs.getObject(1, UUID.class),
                            rs.getLong(2),
                            (Long) rs.getObject(3),
                            rs.getString(4),
                            rs.getString(5)));
                  }
                }
              }
              return out;
            });
    int split = 0;
    int failed = 0;
    int resubmitted = 0;
    for (Stuck s : stuck) {
      if (s.state() == null) {
        enqueuer.submit(s.id());
        resubmitted++;
      } else if (s.kind().equals("batch")) {
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

  private boolean splitBatch(Stuck batch) {
    List<JobPlan> singles = new ArrayList<>();
    boolean changed =
        db.inTransaction(
            (Database.TxWork<Boolean>)
                c -> {
                  if (!lockIfStillOpen(c, batch.id())) {
                    return false;
                  }
                  for (SpanRow s : openSpans(c, batch.id())) {
                    JobPlan.SpanRef ref = new JobPlan.SpanRef(s.id(), s.hash());
                    JobPlan single =
                        new JobPlan(
                            JobPlan.fallbackId(batch.id(), ref),
                            batch.repoId(),
                            batch.fileId(),
                            "single",
                            List.of(ref),
                            JobSizing.jobTokens(s.tokens(), 1),
                            s.tokens(),
                            "batch job " + batch.state(),
                            batch.id());
                    if (JobEnqueuer.insertRow(c, single)) {
                      singles.add(single);
                    }
                  }
                  finish(c, batch.id(), "split", "JobRunr job " + batch.state());
                  return true;
                });
    singles.forEach(s -> enqueuer.submit(s.id()));
    return changed;
  }

  private void failSingle(Stuck single) {
    db.inTransaction(
        c -> {
          if (!lockIfStillOpen(c, single.id())) {
            return;
          }
          String error = "JobRunr job " + single.state() + " after its retries";
          for (SpanRow s : openSpans(c, single.id())) {
            failures.record(c, s.id(), s.hash(), error, false, null);
          }
          finish(c, single.id(), "failed", error);
        });
  }

  private record SpanRow(long id, String hash, int tokens) {}

  /** Spans of the job whose planned version is still current and not yet enriched. */
  private static List<SpanRow> openSpans(Connection c, UUID jobId) throws SQLException {
    List<SpanRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.id, s.content_hash, s.token_estimate from job_spans js"
                + " join spans s on s.id = js.span_id and s.content_hash = js.span_hash"
                + " join repositories r on r.id = s.repo_id"
                + " where js.job_id = ? and not exists (select 1 from enrichments e"
                + "   where e.span_id = s.id and e.span_hash = s.content_hash"
                + "   and e.generation >= r.generation)"
                + " order by js.ordinal")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new SpanRow(rs.getLong(1), rs.getString(2), rs.getInt(3)));
        }
      }
    }
    return out;
  }

  private static boolean lockIfStillOpen(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select 1 from jobs where id = ? and status in ('enqueued', 'processing') for update")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void finish(Connection c, UUID id, String status, String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update jobs set status = ?, last_error = ?, updated_at = now() where id = ?")) {
      ps.setString(1, status);
      ps.setString(2, error);
      ps.setObject(3, id);
      ps.executeUpdate();
    }
  }
}
