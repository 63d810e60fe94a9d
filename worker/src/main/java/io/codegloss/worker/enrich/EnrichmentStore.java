package io.codegloss.worker.enrich;

import io.codegloss.core.config.Settings;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.core.enrich.RelatedResolver;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.EnrichmentTable;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanLinkTable;
import io.codegloss.core.store.SummarySource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes validated enrichments and their links (failures go through {@link SpanFailureTable}).
 * Every method works on the caller's connection so that the caller decides the transaction
 * (normally {@code db.inTransaction(c -> store.store(c, ...))}); SQLExceptions are left to {@code
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
    SPAN_GONE,
    /** Not written: the span has a note of a newer generation (a late answer of an older job). */
    SUPERSEDED
  }

  private final SpanFailureTable failures;

  public EnrichmentStore(RetryPolicy retry) {
    this.failures = new SpanFailureTable(retry);
  }

  public static EnrichmentStore fromSettings(Settings settings) {
    return new EnrichmentStore(RetryPolicy.fromSettings(settings));
  }

  /** Where spans without a valid note are recorded, with this store's retry policy. */
  public SpanFailureTable failures() {
    return failures;
  }

  /** Stores a validated outcome: its enrichment, dropped-related count and notes. */
  public StoreResult store(Connection c, SpanOutcome.Valid valid, StoreMeta meta)
      throws SQLException {
    return write(
        c,
        valid.span(),
        valid.enrichment(),
        meta.withNotes(valid.notes()),
        valid.droppedNames(),
        valid.summaryIsDocstring() ? SummarySource.DOCSTRING : SummarySource.MODEL);
  }

  /**
   * Upserts the enrichment of {@code span} on (span_id, model, prompt_version), replaces that span
   * and model's span_links with the related names that resolve now (same file first, then
   * unambiguous repo-wide; never the span itself), and clears the span's failure record.
   */
  public StoreResult store(Connection c, Span span, Enrichment e, StoreMeta meta)
      throws SQLException {
    return write(c, span, e, meta, 0, SummarySource.MODEL);
  }

  /**
   * As {@link #store(Connection, Span, Enrichment, StoreMeta)}, with where the summary came from.
   */
  public StoreResult store(
      Connection c, Span span, Enrichment e, StoreMeta meta, SummarySource source)
      throws SQLException {
    return write(c, span, e, meta, 0, source);
  }

  private StoreResult write(
      Connection c,
      Span span,
      Enrichment e,
      StoreMeta meta,
      int droppedRelated,
      SummarySource source)
      throws SQLException {
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

    // Locks the span row first (concurrent stores of one span are serialised, its hash pinned) and
    // writes only for the code the note describes.
    EnrichmentTable.Written written =
        EnrichmentTable.upsertForCurrentCode(
            c,
            new EnrichmentTable.Row(
                span.id(),
                meta.model(),
                meta.promptVersion(),
                span.contentHash(),
                meta.schemaVersion(),
                meta.generation(),
                meta.backend(),
                meta.mode(),
                e.summary120w(),
                EnrichmentJson.toJson(e),
                droppedRelated + unresolved,
                meta.notes().isEmpty() ? null : String.join("; ", meta.notes()),
                meta.worker(),
                meta.jobId(),
                source));
    switch (written) {
      case SPAN_GONE:
        LOG.info("span {} is gone; enrichment not stored", span.id());
        return StoreResult.SPAN_GONE;
      case STALE:
        LOG.info("span {} changed since it was planned; enrichment not stored", span.id());
        return StoreResult.STALE;
      case SUPERSEDED:
        LOG.info("span {} has a note of a newer generation; enrichment not stored", span.id());
        return StoreResult.SUPERSEDED;
      case WRITTEN:
        break;
    }
    SpanLinkTable.replace(c, span.id(), meta.model(), related);
    SpanFailureTable.clear(c, span.id());
    return StoreResult.STORED;
  }
}
