package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code enrichments}: one validated note per span, model and prompt version. Whether a
 * span counts as enriched is decided by the {@code span_state} view ({@link SpanStates}), not here.
 * Every method works on the caller's connection, so the caller owns the transaction.
 */
public final class EnrichmentTable {

  private EnrichmentTable() {}

  /**
   * A note as stored.
   *
   * @param payload the validated enrichment as JSON
   * @param notes e.g. "code truncated to fit 2048 tokens", or null
   */
  public record Row(
      long spanId,
      String model,
      int promptVersion,
      String spanHash,
      int schemaVersion,
      int generation,
      String backend,
      JobKind mode,
      String summary,
      String payload,
      int droppedRelated,
      @Nullable String notes,
      String worker,
      @Nullable UUID jobId,
      SummarySource summarySource) {}

  /**
   * Inserts or replaces the note of (span, model, prompt version): idempotent for retried jobs. A
   * note of a newer repository generation than {@code r}'s is kept.
   *
   * @return false when such a newer note was kept and nothing was written
   */
  public static boolean upsert(Connection c, Row r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            INSERT
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, now())"
                + UPSERT)) {
      bind(ps, 1, r);
      return ps.executeUpdate() > 0;
    }
  }

  /** What {@link #upsertForCurrentCode} did. */
  public enum Written {
    /** Inserted or replaced. */
    WRITTEN,
    /** Nothing written: the span no longer exists. */
    SPAN_GONE,
    /** Nothing written: the span's code is no longer the code the note describes. */
    STALE,
    /** Nothing written: a note of a newer generation is kept. */
    SUPERSEDED
  }

  /**
   * As {@link #upsert}, only while the span's code is still {@code r.spanHash()}, in one statement
   * that first locks the span's row ({@link SpanTable#LOCK_HASH}): concurrent stores of one span
   * are serialised and its hash cannot change before the commit. A worker stores each note this
   * way; the lock and the write were two round trips.
   */
  public static Written upsertForCurrentCode(Connection c, Row r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "with cur as ("
                + SpanTable.LOCK_HASH
                + "), written as ("
                + INSERT
                + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, now()"
                + " from cur where cur.content_hash = ?"
                + UPSERT
                + " returning 1)"
                + " select (select content_hash from cur), (select count(*) from written)")) {
      ps.setLong(1, r.spanId());
      int next = bind(ps, 2, r);
      ps.setString(next, r.spanHash());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String current = rs.getString(1);
        if (current == null) {
          return Written.SPAN_GONE;
        }
        if (!current.equals(r.spanHash())) {
          return Written.STALE;
        }
        return rs.getLong(2) > 0 ? Written.WRITTEN : Written.SUPERSEDED;
      }
    }
  }

  private static final String INSERT =
      "insert into enrichments (span_id, model, prompt_version, span_hash, schema_version,"
          + " generation, backend, mode, summary, payload, dropped_related, notes, worker,"
          + " job_id, summary_source, created_at)";

  private static final String UPSERT =
      " on conflict (span_id, model, prompt_version) do update set"
          + " span_hash = excluded.span_hash, schema_version = excluded.schema_version,"
          + " generation = excluded.generation, backend = excluded.backend,"
          + " mode = excluded.mode, summary = excluded.summary, payload = excluded.payload,"
          + " dropped_related = excluded.dropped_related, notes = excluded.notes,"
          + " worker = excluded.worker, job_id = excluded.job_id,"
          + " summary_source = excluded.summary_source, created_at = now()"
          // a late writer planned for an older generation never replaces a newer note
          + " where enrichments.generation <= excluded.generation";

  /** Binds the row's 15 values from parameter {@code i}; returns the next parameter's index. */
  private static int bind(PreparedStatement ps, int i, Row r) throws SQLException {
    ps.setLong(i++, r.spanId());
    ps.setString(i++, r.model());
    ps.setInt(i++, r.promptVersion());
    ps.setString(i++, r.spanHash());
    ps.setInt(i++, r.schemaVersion());
    ps.setInt(i++, r.generation());
    ps.setString(i++, r.backend());
    ps.setString(i++, r.mode().db());
    ps.setString(i++, r.summary());
    ps.setString(i++, r.payload());
    ps.setInt(i++, r.droppedRelated());
    if (r.notes() == null) {
      ps.setNull(i++, Types.VARCHAR);
    } else {
      ps.setString(i++, r.notes());
    }
    ps.setString(i++, r.worker());
    ps.setObject(i++, r.jobId());
    ps.setString(i++, r.summarySource().db());
    return i;
  }

  /**
   * The note {@code show} displays for a span: the newest one for its current code, else the newest
   * one at all.
   *
   * @param current false when the code changed after the note was written
   * @param createdAt ISO-8601
   * @param payload the stored enrichment JSON
   */
  public record Shown(
      String model,
      String backend,
      int promptVersion,
      int schemaVersion,
      String mode,
      boolean current,
      String createdAt,
      @Nullable String notes,
      int droppedRelated,
      String payload,
      SummarySource summarySource) {}

  /**
   * The summary of each span's newest note, chosen as {@link #newest} chooses (current code first,
   * then the latest), for the spans of one file in one query; spans without a note are absent.
   */
  public static Map<Long, String> newestSummaries(Connection c, long fileId) throws SQLException {
    Map<Long, String> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select distinct on (e.span_id) e.span_id, e.summary"
                + " from enrichments e join spans s on s.id = e.span_id"
                + " where s.file_id = ?"
                + " order by e.span_id, (e.span_hash = s.content_hash) desc, e.created_at desc,"
                + " e.prompt_version desc")) {
      ps.setLong(1, fileId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  public static @Nullable Shown newest(Connection c, long spanId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select e.model, e.backend, e.prompt_version, e.schema_version, e.mode,"
                + " e.span_hash = s.content_hash as current, e.created_at, e.notes,"
                + " e.dropped_related, e.payload::text as payload, e.summary_source"
                + " from enrichments e join spans s on s.id = e.span_id"
                + " where e.span_id = ?"
                + " order by (e.span_hash = s.content_hash) desc, e.created_at desc,"
                + " e.prompt_version desc limit 1")) {
      ps.setLong(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Shown(
            rs.getString("model"),
            rs.getString("backend"),
            rs.getInt("prompt_version"),
            rs.getInt("schema_version"),
            rs.getString("mode"),
            rs.getBoolean("current"),
            rs.getTimestamp("created_at").toInstant().toString(),
            rs.getString("notes"),
            rs.getInt("dropped_related"),
            rs.getString("payload"),
            SummarySource.fromDb(rs.getString("summary_source")));
      }
    }
  }

  /** A note for its span's current code, as the benchmark scores it. */
  public record CurrentPayload(
      long spanId, String payload, int droppedRelated, @Nullable String notes) {}

  public static List<CurrentPayload> currentPayloads(Connection c) throws SQLException {
    List<CurrentPayload> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select e.span_id, e.payload::text, e.dropped_related, e.notes"
                    + " from enrichments e join spans s on s.id = e.span_id"
                    + " and s.content_hash = e.span_hash");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CurrentPayload(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
      }
    }
    return out;
  }

  /** A span's summary for its current code and where it came from, as the benchmark scores it. */
  public record CurrentSummary(long spanId, String summary, SummarySource source) {}

  /** The newest note of each span for its current code (one per span). */
  public static List<CurrentSummary> currentSummaries(Connection c) throws SQLException {
    List<CurrentSummary> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select distinct on (e.span_id) e.span_id, e.summary, e.summary_source"
                    + " from enrichments e join spans s on s.id = e.span_id"
                    + " and s.content_hash = e.span_hash"
                    + " order by e.span_id, e.created_at desc, e.prompt_version desc");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new CurrentSummary(
                rs.getLong(1), rs.getString(2), SummarySource.fromDb(rs.getString(3))));
      }
    }
    return out;
  }

  /** Notes in all, and spans with more than one note of one model (must be 0). */
  public record Totals(long notes, long spansNotedTwice) {}

  public static Totals totals(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select (select count(*) from enrichments),"
                    + " (select count(*) from (select span_id from enrichments"
                    + " group by span_id, model having count(*) > 1) x)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Totals(rs.getLong(1), rs.getLong(2));
    }
  }
}
