package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code llm_calls}: every LLM call, whatever its outcome, gets one row. Every method
 * works on the caller's connection, so the caller owns the transaction.
 */
public final class LlmCallTable {

  private static final int MAX_ERROR_CHARS = 2000;

  private LlmCallTable() {}

  /**
   * One call.
   *
   * @param outcome ok (every span valid), partial (some), invalid (none), error (no usable answer)
   * @param secretsRedacted secrets cut out of this call's prompt ({@code SecretRedactor})
   */
  public record Call(
      @Nullable UUID jobId,
      String worker,
      String backend,
      String model,
      JobKind mode,
      int spanCount,
      int itemsValid,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      long wallMs,
      CallOutcome outcome,
      boolean firstTry,
      @Nullable String error,
      int secretsRedacted) {}

  public static void insert(Connection c, Call call) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into llm_calls (job_id, worker, backend, model, mode, span_count, items_valid,"
                + " prompt_tokens, completion_tokens, wall_ms, outcome, first_try, error,"
                + " secrets_redacted)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, call.jobId());
      ps.setString(2, call.worker());
      ps.setString(3, call.backend());
      ps.setString(4, call.model());
      ps.setString(5, call.mode().db());
      ps.setInt(6, call.spanCount());
      ps.setInt(7, call.itemsValid());
      ps.setObject(8, call.promptTokens());
      ps.setObject(9, call.completionTokens());
      ps.setLong(10, call.wallMs());
      ps.setString(11, call.outcome().db());
      ps.setBoolean(12, call.firstTry());
      String error = call.error();
      ps.setString(
          13,
          error == null || error.length() <= MAX_ERROR_CHARS
              ? error
              : error.substring(0, MAX_ERROR_CHARS));
      ps.setInt(14, call.secretsRedacted());
      ps.executeUpdate();
    }
  }

  /**
   * One answered batch call, newest first.
   *
   * @param probeAt when a probe may follow this answer (its time plus {@code probeSeconds})
   * @param waiting whether that time is still ahead, by the database's clock
   */
  public record BatchAnswer(CallOutcome outcome, Instant probeAt, boolean waiting) {}

  /**
   * The last {@code limit} batch calls of a model that got an answer (errors left out), newest
   * first. The database's clock decides {@code waiting}, not this machine's: workers on other
   * machines must agree.
   */
  public static List<BatchAnswer> lastBatchAnswers(
      Connection c, String backend, String model, double probeSeconds, int limit)
      throws SQLException {
    List<BatchAnswer> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select outcome, created_at + make_interval(secs => ?) as probe_at,"
                + " created_at + make_interval(secs => ?) > now() as waiting"
                + " from llm_calls"
                + " where backend = ? and model = ? and mode = 'batch' and outcome <> 'error'"
                + " order by id desc limit ?")) {
      ps.setDouble(1, probeSeconds);
      ps.setDouble(2, probeSeconds);
      ps.setString(3, backend);
      ps.setString(4, model);
      ps.setInt(5, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new BatchAnswer(
                  CallOutcome.fromDb(rs.getString(1)),
                  rs.getTimestamp(2).toInstant(),
                  rs.getBoolean(3)));
        }
      }
    }
    return out;
  }

  /**
   * Sums per mode, model and worker: what {@code stats}, the dashboard's savings panel and the
   * benchmark derive their ratios from.
   *
   * @param firstTrySpans spans asked for in first-try calls
   * @param firstTryValid of those, valid
   * @param salvaged valid spans of partly valid answers
   * @param reenqueuedAsSingle spans of batch calls that came back without a valid item
   * @param secretsRedacted secrets cut out of these calls' prompts
   */
  public record Totals(
      String mode,
      String model,
      String worker,
      long jobs,
      long calls,
      long spans,
      long spansValid,
      long promptTokens,
      long completionTokens,
      long wallMs,
      long firstTrySpans,
      long firstTryValid,
      long salvaged,
      long reenqueuedAsSingle,
      long secretsRedacted) {}

  public static List<Totals> totalsByModeModelWorker(Connection c) throws SQLException {
    List<Totals> rows = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select l.mode, l.model, l.worker, count(distinct l.job_id), count(*),"
                    + " sum(l.span_count), sum(l.items_valid),"
                    + " coalesce(sum(l.prompt_tokens), 0), coalesce(sum(l.completion_tokens), 0),"
                    + " sum(l.wall_ms),"
                    + " sum(case when l.first_try then l.span_count else 0 end),"
                    + " sum(case when l.first_try then l.items_valid else 0 end),"
                    + " sum(case when l.outcome = 'partial' then l.items_valid else 0 end),"
                    + " sum(case when l.mode = 'batch' then l.span_count - l.items_valid else 0"
                    + " end),"
                    + " sum(l.secrets_redacted)"
                    + " from llm_calls l group by l.mode, l.model, l.worker"
                    + " order by l.mode, l.model, l.worker");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new Totals(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11),
                rs.getLong(12),
                rs.getLong(13),
                rs.getLong(14),
                rs.getLong(15)));
      }
    }
    return rows;
  }

  /**
   * Secrets kept out of prompts.
   *
   * @param secrets secrets cut out of every recorded call's prompt
   * @param calls calls whose prompt had at least one
   */
  public record Redactions(long secrets, long calls) {}

  public static Redactions redactions(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select coalesce(sum(secrets_redacted), 0),"
                    + " count(*) filter (where secrets_redacted > 0) from llm_calls");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Redactions(rs.getLong(1), rs.getLong(2));
    }
  }

  /** Calls made for one repository's jobs and their tokens. */
  public record RepoTotals(long calls, long promptTokens, long completionTokens) {}

  public static RepoTotals totalsOfRepository(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(l.id), coalesce(sum(l.prompt_tokens), 0),"
                + " coalesce(sum(l.completion_tokens), 0)"
                + " from llm_calls l join jobs j on j.id = l.job_id where j.repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new RepoTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  /** The last hour of calls, and the database's clock. */
  public record LastHour(long spansValid, long tokens, long callsNotOk, Instant now) {}

  public static LastHour lastHour(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select coalesce(sum(items_valid), 0),"
                    + " coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)),"
                    + " 0), count(*) filter (where outcome <> 'ok'), now()"
                    + " from llm_calls where created_at > now() - interval '1 hour'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new LastHour(
          rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant());
    }
  }

  /** The current minute by the database's clock, where throughput buckets end. */
  public static Instant currentMinute(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select date_trunc('minute', now())");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  /** Calls of one worker and model in one minute. */
  public record Minute(
      String worker, String model, Instant minute, long calls, long spansValid, long tokens) {}

  /** Calls per worker, model and minute in [{@code from}, {@code to}). */
  public static List<Minute> perMinute(Connection c, Instant from, Instant to) throws SQLException {
    List<Minute> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select worker, model, date_trunc('minute', created_at) as minute, count(*),"
                + " coalesce(sum(items_valid), 0),"
                + " coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0)"
                + " from llm_calls where created_at >= ? and created_at < ?"
                + " group by worker, model, minute order by worker, model, minute")) {
      ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Minute(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6)));
        }
      }
    }
    return out;
  }

  /** What one mode (batch or single) cost in all. */
  public record ModeTotals(
      String mode,
      long calls,
      long callsNotOk,
      long spansAsked,
      long spansValid,
      long promptTokens,
      long completionTokens,
      long wallMs) {}

  public static List<ModeTotals> totalsByMode(Connection c) throws SQLException {
    List<ModeTotals> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select mode, count(*), count(*) filter (where outcome <> 'ok'),"
                    + " coalesce(sum(span_count), 0), coalesce(sum(items_valid), 0),"
                    + " coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0),"
                    + " coalesce(sum(wall_ms), 0) from llm_calls group by mode");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ModeTotals(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8)));
      }
    }
    return out;
  }

  /** A call that did not come back with every item valid. */
  public record NotOk(
      long id,
      Instant createdAt,
      @Nullable UUID jobId,
      String worker,
      String backend,
      String model,
      String mode,
      int spanCount,
      int itemsValid,
      String outcome,
      @Nullable String error) {}

  /** The {@code limit} most recent calls that were not ok, newest first. */
  public static List<NotOk> recentNotOk(Connection c, int limit) throws SQLException {
    List<NotOk> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, created_at, job_id, worker, backend, model, mode, span_count,"
                + " items_valid, outcome, error from llm_calls where outcome <> 'ok'"
                + " order by created_at desc, id desc limit ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new NotOk(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getObject(3, UUID.class),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getInt(8),
                  rs.getInt(9),
                  rs.getString(10),
                  rs.getString(11)));
        }
      }
    }
    return out;
  }

  /** Every call's totals. */
  public record Sums(
      long calls, long promptTokens, long completionTokens, long wallMs, long retries) {}

  public static Sums sums(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select count(*), coalesce(sum(prompt_tokens), 0),"
                    + " coalesce(sum(completion_tokens), 0), coalesce(sum(wall_ms), 0),"
                    + " count(*) filter (where not first_try) from llm_calls");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Sums(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
    }
  }

  /**
   * Jobs with more than one call that delivered notes (ok or partial): a job that ran twice to
   * completion. Such a call is written in the transaction that stores its notes and finishes the
   * job, so a run killed before its commit leaves none. 0 is the soak's proof of exactly-once.
   */
  public static long jobsCompletedMoreThanOnce(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from (select job_id from llm_calls where job_id is not null"
                    + " and outcome in ('ok', 'partial') group by job_id having count(*) > 1) x");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * One call, for the split of LLM time into prefill and decode.
   *
   * @param rework not a first-pass call: time the first attempt did not make good
   * @param jobId the job as JobRunr names it (text), or null
   * @param endedAt when the row was written, at the end of the call
   */
  public record Timed(
      @Nullable String jobId,
      int promptTokens,
      int completionTokens,
      long wallMs,
      Instant endedAt,
      boolean rework) {}

  /** Every call in id order. */
  public static List<Timed> calls(Connection c) throws SQLException {
    List<Timed> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                JobTable.FIRST_PASS
                    + " select cast(l.job_id as text), coalesce(l.prompt_tokens, 0),"
                    + " coalesce(l.completion_tokens, 0), l.wall_ms, l.created_at,"
                    + " l.id not in (select id from first_calls) from llm_calls l order by l.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Timed(
                rs.getString(1),
                rs.getInt(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getTimestamp(5).toInstant(),
                rs.getBoolean(6)));
      }
    }
    return out;
  }

  /** The recorded errors of every call that has one. */
  public static List<String> errors(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("select error from llm_calls where error is not null");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
