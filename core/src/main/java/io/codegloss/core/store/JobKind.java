package io.codegloss.core.store;

import java.util.Locale;

/**
 * What a job enriches: a planned batch of spans or one span. Also the {@code mode} of an enrichment
 * and of an LLM call.
 */
public enum JobKind {
  BATCH,
  SINGLE;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobKind fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
