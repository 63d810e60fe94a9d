package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
   * True when the span already has a note for this hash, at least this prompt version and this
   * generation: a job never pays again for what is done.
   */
  public static boolean isCurrent(
      Connection c, long spanId, String hash, int promptVersion, int generation)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select 1 from enrichments where span_id = ? and span_hash = ?"
                + " and prompt_version >= ? and generation >= ?")) {
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
      @Nullable UUID jobId) {}

  /** Inserts or replaces the note of (span, model, prompt version): idempotent for retried jobs. */
  public static void upsert(Connection c, Row r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into enrichments (span_id, model, prompt_version, span_hash, schema_version,"
                + " generation, backend, mode, summary, payload, dropped_related, notes, worker,"
                + " job_id, created_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, now())"
                + " on conflict (span_id, model, prompt_version) do update set"
                + " span_hash = excluded.span_hash, schema_version = excluded.schema_version,"
                + " generation = excluded.generation, backend = excluded.backend,"
                + " mode = excluded.mode, summary = excluded.summary, payload = excluded.payload,"
                + " dropped_related = excluded.dropped_related, notes = excluded.notes,"
                + " worker = excluded.worker, job_id = excluded.job_id, created_at = now()")) {
      int i = 1;
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
      ps.setObject(i, r.jobId());
      ps.executeUpdate();
    }
  }
}
