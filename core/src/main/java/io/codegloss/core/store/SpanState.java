package io.codegloss.core.store;

import java.util.Locale;

/** A span's state as the {@code span_state} view decides it: the one place that rule lives. */
public enum SpanState {
  PENDING,
  ENRICHED,
  FAILED;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpanState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
