package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.span.Span;
import java.util.List;

/** What one completion gave for one span. */
public sealed interface SpanOutcome {

  Span span();

  /**
   * Validated and ready for {@link EnrichmentStore#store(java.sql.Connection, Valid, StoreMeta)}.
   */
  /**
   * @param droppedNames meanings dropped because they name nothing in the span's facts
   * @param summaryIsDocstring the summary is the span's own docstring, not model prose: the store
   *     records it as source=docstring
   */
  record Valid(
      Span span,
      Enrichment enrichment,
      int droppedNames,
      boolean summaryIsDocstring,
      List<String> notes)
      implements SpanOutcome {
    public Valid {
      notes = List.copyOf(notes);
    }
  }

  /** An item for the span was there but failed validation. */
  record Invalid(Span span, String reason) implements SpanOutcome {}

  /** No item for the span: no JSON, truncated JSON, or no item with its span_index. */
  record Missing(Span span, String reason) implements SpanOutcome {}
}
