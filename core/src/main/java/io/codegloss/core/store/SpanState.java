package io.codegloss.core.store;

import java.util.Locale;

/** A span's state as the {@code span_state} view decides it: the one place that rule lives. */
public enum SpanState {
  /** No facts for its current code yet (indexed before facts existed, or mid-run). */
  NOT_INDEXED,
  /** Facts for its current code, no prose yet. */
  FACTS_ONLY,
  /** Facts and validated prose for its current code. */
  ENRICHED,
  /** Facts kept; the model's last answer for this code was refused (reason recorded). */
  PROSE_FAILED;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpanState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
