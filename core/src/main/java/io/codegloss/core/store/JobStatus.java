package io.codegloss.core.store;

import java.util.Locale;

/**
 * The states of a row of {@code jobs}; the migration's CHECK constraint lists the same words (a
 * test keeps them in step).
 */
public enum JobStatus {
  ENQUEUED,
  PROCESSING,
  SUCCEEDED,
  PARTIAL,
  SPLIT,
  FAILED;

  /**
   * A job in this state has delivered its result (whole, in part, or as single-span jobs): running
   * it again, or storing a late answer of an earlier run, would complete it twice.
   */
  public boolean completed() {
    return this == SUCCEEDED || this == PARTIAL || this == SPLIT;
  }

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
