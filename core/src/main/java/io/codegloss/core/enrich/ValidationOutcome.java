package io.codegloss.core.enrich;

import java.util.List;

/** What {@link EnrichmentValidator} made of one item. */
public sealed interface ValidationOutcome {

  /**
   * @param enrichment the cleaned enrichment, ready to store
   * @param droppedRelated related names not stored as links (unknown, ambiguous or the span itself)
   * @param notes what was trimmed, dropped or filled in, one short sentence each
   */
  record Valid(Enrichment enrichment, int droppedRelated, List<String> notes)
      implements ValidationOutcome {
    public Valid {
      notes = List.copyOf(notes);
    }
  }

  /** The item cannot be stored; {@code reason} is one line for span_failures.last_error. */
  record Invalid(String reason) implements ValidationOutcome {}
}
