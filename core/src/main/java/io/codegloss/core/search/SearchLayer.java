package io.codegloss.core.search;

import java.util.EnumSet;
import java.util.Set;

/**
 * The separately stored, separately weighted parts of a span's search text. The product searches
 * all of them; the retrieval benchmark chooses (and leaves the docstring out).
 */
public enum SearchLayer {
  /** Symbol, name, signature and file path, identifiers split at camelCase and snake_case. */
  NAMES,
  /** The span's own docstring. */
  DOCSTRING,
  /** Parameters, types, return type, raised exceptions, calls, side effects (by analysis). */
  FACTS,
  /** What a model wrote for the current code; never a summary that is the docstring. */
  PROSE;

  public static Set<SearchLayer> all() {
    return EnumSet.allOf(SearchLayer.class);
  }
}
