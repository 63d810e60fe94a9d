package io.codegloss.worker.enrich;

import io.codegloss.core.config.Settings;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.core.enrich.RelatedResolver;
import io.codegloss.core.enrich.RetryPolicy;
import io.codegloss.core.enrich.SpanFailures;
import io.codegloss.core.span.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes validated enrichments and their links (failures go through {@link SpanFailures}). Every
 * method works on the caller's connection so that the caller decides the transaction (normally
 * {@code db.inTransaction(c -> store.store(c, ...))}); SQLExceptions are left to {@code
 * Database.inTransaction} to translate.
 *
 * <p>Writes are idempotent: a job that JobRunr retries after its worker died rewrites the same rows
 * instead of adding new ones.
 */
public final class EnrichmentStore {

  private static final Logger LOG = LoggerFactory.getLogger(EnrichmentStore.class);

  /** What {@link #store} did. */
  public enum StoreResult {
    /** Written (inserted or replaced). */
    STORED,
    /** Not written: the span's code changed after the job was planned; its note would be wrong. */
    STALE,
    /** Not written: the span no longer exists. */
    SPAN_GONE
  }

  private final SpanFailures failures;

  public EnrichmentStore(RetryPolicy retry) {
    this.failures = new SpanFailures(retry);
  }

  public static EnrichmentStore fromSettings(Settings settings) {
    return new EnrichmentStore(RetryPolicy.fromSettings(settings));
  }

  /** Where spans without a valid note are recorded, with this store's retry policy. */
  public SpanFailures failures() {
    return failures;
  }

  /** Stores a validated outcome: its enrichment, dropped-related count and notes. */
  public StoreResult store(Connection c, SpanOutcome.Valid valid, StoreMeta meta)
      throws SQLException {
    return write(
        c, valid.span(), valid.enrichment(), meta.withNotes(valid.notes()), valid.droppedRelated());
  }

  /**
   * Upserts the enrichment of {@code span} on (span_id, model, prompt_version), replaces that span
   * and model's span_links with the related names that resolve now (same file first, then
   * unambiguous repo-wide; never the span itself), and clears the span's failure record.
   */
  public StoreResult store(Connection c, Span span, Enrichment e, StoreMeta meta)
      throws SQLException {
    return write(c, span, e, meta, 0);
  }

  private StoreResult write(
      Connection c, Span span, Enrichment e, StoreMeta meta, int droppedRelated)
      throws SQLException {
    // Locking the span row serialises concurrent stores of one span and pins its hash.
    String currentHash = null;
    try (PreparedStatement ps =
        c.prepareStatement("select content_hash from spans where id = ? for update")) {
      ps.setLong(1, span.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          currentHash = rs.getString(1);
        }
      }
    }
    if (currentHash == null) {
      LOG.info("span {} is gone; enrichment not stored", span.id());
      return StoreResult.SPAN_GONE;
    }
    if (!currentHash.equals(span.contentHash())) {
      LOG.info("span {} changed since it was planned; enrichment not stored", span.id());
      return StoreResult.STALE;
    }

    List<Long> related = new ArrayList<>();
    int unresolved = 0;
    RelatedResolver resolver = RelatedResolver.forRepo(c, span.repoId(), span.fileId());
    Set<Long> seen = new LinkedHashSet<>();
    for (String name : e.relatedSpans()) {
      OptionalLong id = resolver.resolve(name);
      if (id.isEmpty()) {
        unresolved++; // vanished between validation and this transaction
      } else if (id.getAsLong() != span.id() && seen.add(id.getAsLong())) {
        related.add(id.getAsLong());
      }
    }

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
      ps.setLong(i++, span.id());
      ps.setString(i++, meta.model());
      ps.setInt(i++, meta.promptVersion());
      ps.setString(i++, span.contentHash());
      ps.setInt(i++, meta.schemaVersion());
      ps.setInt(i++, meta.generation());
      ps.setString(i++, meta.backend());
      ps.setString(i++, meta.mode());
      ps.setString(i++, e.summary120w());
      ps.setString(i++, EnrichmentJson.toJson(e));
      ps.setInt(i++, droppedRelated + unresolved);
      String notes = meta.notes().isEmpty() ? null : String.join("; ", meta.notes());
      if (notes == null) {
        ps.setNull(i++, Types.VARCHAR);
      } else {
        ps.setString(i++, notes);
      }
      ps.setString(i++, meta.worker());
      ps.setObject(i, meta.jobId());
      ps.executeUpdate();
    }

    try (PreparedStatement ps =
        c.prepareStatement("delete from span_links where from_span_id = ? and model = ?")) {
      ps.setLong(1, span.id());
      ps.setString(2, meta.model());
      ps.executeUpdate();
    }
    if (!related.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into span_links (from_span_id, to_span_id, model) values (?, ?, ?)"
                  + " on conflict do nothing")) {
        for (long to : related) {
          ps.setLong(1, span.id());
          ps.setLong(2, to);
          ps.setString(3, meta.model());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    try (PreparedStatement ps = c.prepareStatement("delete from span_failures where span_id = ?")) {
      ps.setLong(1, span.id());
      ps.executeUpdate();
    }
    return StoreResult.STORED;
  }
}
