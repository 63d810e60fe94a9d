package io.codegloss.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes {@code span_failures}: workers record spans that got no valid note, the
 * scheduler's sweeper records spans whose job JobRunr gave up on, and operators clear them. Every
 * method works on the caller's connection, so the caller owns the transaction.
 */
public final class SpanFailureTable {

  private static final Logger LOG = LoggerFactory.getLogger(SpanFailureTable.class);

  private static final int MAX_ERROR_CHARS = 2000;

  /** The state of a span's failure record after {@link #record}. */
  public record FailureState(int attempts, Instant nextAttemptAt, boolean permanent) {}

  private final RetryPolicy retry;

  public SpanFailureTable(RetryPolicy retry) {
    this.retry = retry;
  }

  /**
   * Records one more failure of a span: attempts + 1 (back to 1 when the code changed since the
   * last failure), the next attempt after the policy's backoff, permanent when asked for or when
   * the attempts reach the policy's maximum. A permanent failure stays permanent until the code
   * changes or an operator offers it again ({@link #offerRepositoryAgain}).
   *
   * @param promptSha {@link #promptSha} of the prompt whose answer was invalid, or null when the
   *     failure says nothing about the answer to that prompt (timeouts, overflow, a lost job)
   * @return the new state, or empty when the span no longer exists
   */
  public Optional<FailureState> record(
      Connection c,
      long spanId,
      String spanHash,
      String error,
      boolean permanent,
      @Nullable String promptSha)
      throws SQLException {
    String message = error == null || error.isBlank() ? "unknown error" : error.strip();
    if (message.length() > MAX_ERROR_CHARS) {
      message = message.substring(0, MAX_ERROR_CHARS) + "...";
    }
    double base = retry.base().toMillis() / 1000.0;
    double max = retry.max().toMillis() / 1000.0;
    String same = "f.span_hash = excluded.span_hash";
    String sql =
        "insert into span_failures as f (span_id, span_hash, attempts, last_error,"
            + " next_attempt_at, permanent, prompt_sha, updated_at)"
            + " select ?, ?, 1, ?, now() + make_interval(secs => ?), ?, ?, now()"
            + " where exists (select 1 from spans where id = ?)"
            + " on conflict (span_id) do update set"
            + " attempts = case when "
            + same
            + " then f.attempts + 1 else 1 end,"
            + " next_attempt_at = now() + make_interval(secs => least(?::float8, ?::float8"
            + " * power(2, case when "
            + same
            + " then f.attempts else 0 end))),"
            + " permanent = excluded.permanent or ("
            + same
            + " and (f.permanent or f.attempts + 1 >= ?)),"
            + " span_hash = excluded.span_hash, last_error = excluded.last_error,"
            + " prompt_sha = excluded.prompt_sha, updated_at = now()"
            + " returning attempts, next_attempt_at, permanent";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, spanId);
      ps.setString(i++, spanHash);
      ps.setString(i++, message);
      ps.setDouble(i++, Math.min(base, max));
      ps.setBoolean(i++, permanent || retry.maxAttempts() <= 1);
      ps.setString(i++, promptSha);
      ps.setLong(i++, spanId);
      ps.setDouble(i++, max);
      ps.setDouble(i++, base);
      ps.setInt(i, retry.maxAttempts());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        FailureState state =
            new FailureState(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getBoolean(3));
        LOG.debug("span {} failed (attempt {}): {}", spanId, state.attempts(), firstLine(message));
        return Optional.of(state);
      }
    }
  }

  /**
   * The prompt whose answer was last refused for a span's current code, read with the job's spans
   * when a worker claims them ({@link #LAST_INVALID_ANSWER_OF_S}), so that the check below costs
   * the worker no query of its own.
   */
  public record InvalidAnswer(String promptSha, String error) {

    /** The error, when {@code promptSha} is this very prompt: asking again gets the same answer. */
    public Optional<String> to(String promptSha) {
      return this.promptSha.equals(promptSha) ? Optional.of(error) : Optional.empty();
    }
  }

  /**
   * For a query over {@code spans s}: the prompt fingerprint and error of the span's failure record
   * for its current code, as {@code sha || ' ' || error}, null when there is none (read with {@link
   * #invalidAnswer}).
   */
  static final String LAST_INVALID_ANSWER_OF_S =
      "(select sf.prompt_sha || ' ' || coalesce(sf.last_error, '') from span_failures sf"
          + " where sf.span_id = s.id and sf.span_hash = s.content_hash"
          + " and sf.prompt_sha is not null)";

  static @Nullable InvalidAnswer invalidAnswer(@Nullable String column) {
    if (column == null) {
      return null;
    }
    int space = column.indexOf(' ');
    return new InvalidAnswer(column.substring(0, space), column.substring(space + 1));
  }

  /**
   * Offers every failed span of a repository again, now, permanent failures included, e.g. after
   * the operator switched to a better model. The attempt count is kept, so that the next plan gets
   * new job ids (a job id includes the failure round; the old jobs exist and would be skipped), and
   * the fingerprint of the refused prompt is forgotten, so that the operator's retry is really
   * sent.
   *
   * @return the failures offered again
   */
  public static int offerRepositoryAgain(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update span_failures f set permanent = false, next_attempt_at = now(),"
                + " prompt_sha = null, updated_at = now()"
                + " from spans s where s.id = f.span_id and s.repo_id = ?")) {
      ps.setLong(1, repoId);
      return ps.executeUpdate();
    }
  }

  /** Spans of the repository whose current code failed at or after {@code since}. */
  public static Set<Long> failedSince(Connection c, long repoId, Instant since)
      throws SQLException {
    Set<Long> out = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select f.span_id from span_failures f join spans s on s.id = f.span_id"
                + " where s.repo_id = ? and f.span_hash = s.content_hash and f.updated_at >= ?")) {
      ps.setLong(1, repoId);
      ps.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /**
   * Failed attempts of the repository's spans for their current code: a span back from a failure
   * backoff gets a new job id (its old job already exists).
   */
  public static Map<Long, Integer> attemptsOfCurrent(Connection c, long repoId)
      throws SQLException {
    Map<Long, Integer> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select f.span_id, f.attempts from span_failures f join spans s on s.id = f.span_id"
                + " where s.repo_id = ? and f.span_hash = s.content_hash")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getInt(2));
        }
      }
    }
    return out;
  }

  /** Forgets the span's failure: it has a valid note now. */
  public static void clear(Connection c, long spanId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from span_failures where span_id = ?")) {
      ps.setLong(1, spanId);
      ps.executeUpdate();
    }
  }

  /**
   * A fingerprint of everything that decides a greedy model's answer: backend, model and the exact
   * prompt (system, user, schema, output cap).
   */
  public static String promptSha(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        md.update(p.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public static long count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select count(*) from span_failures");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A failed span with where it lives and the job that last held it. */
  public record Recent(
      long spanId,
      String repoName,
      String path,
      String symbol,
      int startLine,
      int endLine,
      int attempts,
      String lastError,
      boolean permanent,
      Instant nextAttemptAt,
      Instant updatedAt,
      @Nullable UUID lastJobId) {}

  /** The {@code limit} most recent failures, newest first. */
  public static List<Recent> recent(Connection c, int limit) throws SQLException {
    List<Recent> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select f.span_id, r.name, fl.path, s.symbol, s.start_line, s.end_line, f.attempts,"
                + " f.last_error, f.permanent, f.next_attempt_at, f.updated_at,"
                + " (select js.job_id from job_spans js join jobs j on j.id = js.job_id"
                + "   where js.span_id = f.span_id order by j.updated_at desc limit 1)"
                + " from span_failures f join spans s on s.id = f.span_id"
                + " join files fl on fl.id = s.file_id join repositories r on r.id = s.repo_id"
                + " order by f.updated_at desc, f.span_id limit ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Recent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6),
                  rs.getInt(7),
                  rs.getString(8),
                  rs.getBoolean(9),
                  rs.getTimestamp(10).toInstant(),
                  rs.getTimestamp(11).toInstant(),
                  rs.getObject(12, UUID.class)));
        }
      }
    }
    return out;
  }
}
