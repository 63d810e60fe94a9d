package io.codegloss.core.span;

import java.util.Locale;

/** The three kinds of span; structs, interfaces, traits, impls and enums count as classes. */
public enum SpanKind {
  FUNCTION,
  METHOD,
  CLASS;

  /** The lower-case name stored in the database and printed in JSON. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpanKind fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
