package io.codegloss.core.store;

import java.util.Locale;

/**
 * Which jobs a worker takes first. JobRunr OSS has no priorities: the capacity-aware fetch orders
 * enqueued jobs by this word of our own row, interactive before bulk, then by age.
 */
public enum JobPriority {
  /** Code changed after the repository's first job was written: an operator is waiting for it. */
  INTERACTIVE,
  /** A first enrichment or a whole re-enrichment. */
  BULK;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobPriority fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
