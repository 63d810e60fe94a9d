package io.codegloss.core.store;

import java.util.Locale;

/**
 * Where a note's summary came from ({@code enrichments.summary_source}): written by the model, or
 * the span's own docstring (a model answer equal to the docstring is not counted as model prose).
 */
public enum SummarySource {
  MODEL,
  DOCSTRING;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SummarySource fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
