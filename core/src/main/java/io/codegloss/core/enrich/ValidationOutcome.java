package io.codegloss.core.enrich;

import java.util.List;

/** What {@link EnrichmentValidator} made of one item. */
public sealed interface ValidationOutcome {

  /**
   * @param enrichment the cleaned enrichment, ready to store
   * @param droppedNames meanings not stored because they name no parameter, side-effect candidate
   *     or return value of the span's facts (the store records the count as dropped_related)
   * @param summaryIsDocstring the summary is the span's own docstring (whitespace folded, case
   *     ignored): store it as source=docstring, not as model prose
   * @param notes what was trimmed, dropped or filled in, one short sentence each
   */
  record Valid(
      Enrichment enrichment, int droppedNames, boolean summaryIsDocstring, List<String> notes)
      implements ValidationOutcome {
    public Valid {
      notes = List.copyOf(notes);
    }
  }

  /** The item cannot be stored; {@code reason} is one line for span_failures.last_error. */
  record Invalid(String reason) implements ValidationOutcome {}
}
