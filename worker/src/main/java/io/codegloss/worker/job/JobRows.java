package io.codegloss.worker.job;

import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The JDBC a job needs: its row, its spans with their code, and its status changes. */
final class JobRows {

  private JobRows() {}

  /** Our row of a job plus the repository generation it is planned for. */
  record JobRow(
      UUID id,
      long repoId,
      @Nullable Long fileId,
      String kind,
      int tokens,
      String status,
      int attempts,
      int generation) {}

  /** A span of the job and the hash it had when planned. */
  record JobSpan(Span span, String plannedHash, int ordinal) {
    boolean stale() {
      return !span.contentHash().equals(plannedHash);
    }
  }

  /** A neighbour shown to the model as read-only context. */
  record Neighbour(
      String symbol,
      String kind,
      int startLine,
      @Nullable String signature,
      @Nullable String summary) {}

  static Optional<JobRow> lockJob(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select j.id, j.repo_id, j.file_id, j.kind, j.tokens, j.status, j.attempts, r.generation"
                + " from jobs j join repositories r on r.id = j.repo_id where j.id = ? for update of j")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new JobRow(
                rs.getObject(1, UUID.class),
                rs.getLong(2),
                (Long) rs.getObject(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                rs.getInt(7),
                rs.getInt(8)));
      }
    }
  }

  static final String SPAN_COLUMNS =
      "s.id, s.repo_id, s.file_id, f.path, s.language, s.kind, s.name, s.symbol, s.parent_id,"
          + " s.start_line, s.end_line, s.start_byte, s.end_byte, s.signature, s.doc_hint, s.code,"
          + " s.content_hash, s.token_estimate";

  static Span span(ResultSet rs) throws SQLException {
    return new Span(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getString(5),
        SpanKind.fromDb(rs.getString(6)),
        rs.getString(7),
        rs.getString(8),
        (Long) rs.getObject(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getInt(12),
        rs.getInt(13),
        rs.getString(14),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        rs.getInt(18));
  }

  static List<JobSpan> spans(Connection c, UUID jobId) throws SQLException {
    List<JobSpan> result = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + SPAN_COLUMNS
                + ", js.span_hash, js.ordinal from job_spans js join spans s on s.id = js.span_id"
                + " join files f on f.id = s.file_id where js.job_id = ? order by js.ordinal")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new JobSpan(span(rs), rs.getString(19), rs.getInt(20)));
        }
      }
    }
    return result;
  }

  /** True when the span already has an enrichment for its hash, this prompt and generation. */
  static boolean enriched(Connection c, long spanId, String hash, int promptVersion, int generation)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select 1 from enrichments where span_id = ? and span_hash = ? and prompt_version = ?"
                + " and generation >= ?")) {
      ps.setLong(1, spanId);
      ps.setString(2, hash);
      ps.setInt(3, promptVersion);
      ps.setInt(4, generation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Up to {@code limit} spans of the same file outside the job, nearest first, with their newest
   * summary: an edited span re-enriched alone still sees its former batch-mates.
   */
  static List<Neighbour> neighbours(
      Connection c, long fileId, List<Long> exclude, int nearLine, int limit) throws SQLException {
    List<Neighbour> result = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.symbol, s.kind, s.start_line, s.signature,"
                + " (select e.summary from enrichments e where e.span_id = s.id"
                + "   and e.span_hash = s.content_hash order by e.created_at desc limit 1)"
                + " from spans s where s.file_id = ? and not (s.id = any (?))"
                + " order by abs(s.start_line - ?), s.start_line limit ?")) {
      ps.setLong(1, fileId);
      ps.setArray(2, c.createArrayOf("bigint", exclude.toArray()));
      ps.setInt(3, nearLine);
      ps.setInt(4, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(
              new Neighbour(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
    }
    return result;
  }

  /** A member of a class span: its own span, so the class is sent as an outline. */
  record Member(String symbol, int startLine, int endLine) {}

  static List<Member> members(Connection c, long classSpanId) throws SQLException {
    List<Member> result = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select symbol, start_line, end_line from spans where parent_id = ? order by start_line")) {
      ps.setLong(1, classSpanId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new Member(rs.getString(1), rs.getInt(2), rs.getInt(3)));
        }
      }
    }
    return result;
  }

  static void markProcessing(Connection c, UUID id, String worker) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update jobs set status = 'processing', attempts = attempts + 1, worker = ?,"
                + " updated_at = now() where id = ?")) {
      ps.setString(1, worker);
      ps.setObject(2, id);
      ps.executeUpdate();
    }
  }

  static void finish(Connection c, UUID id, String status, @Nullable String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update jobs set status = ?, last_error = coalesce(?, last_error), updated_at = now()"
                + " where id = ?")) {
      ps.setString(1, status);
      ps.setString(2, error);
      ps.setObject(3, id);
      ps.executeUpdate();
    }
  }
}
