package io.codegloss.core.store;

import java.util.Locale;

/**
 * How an LLM call ended ({@code llm_calls.outcome}): every item valid, some, none, or no answer at
 * all.
 */
public enum CallOutcome {
  OK,
  PARTIAL,
  INVALID,
  ERROR;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CallOutcome fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
