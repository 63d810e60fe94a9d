package io.codegloss.core.search;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A search: any text is a query (quotes, operators, unicode: never a syntax error), at most {@link
 * #MAX_QUERY_BYTES} bytes of UTF-8; {@code limit} hits, 1 to {@link #MAX_LIMIT}; optional filters
 * by repository root (as registered), language and kind.
 *
 * @throws IllegalArgumentException (one line) when the limit or the query's size is out of range
 */
public record SearchRequest(
    String query,
    int limit,
    Optional<String> repositoryRoot,
    Optional<String> language,
    Optional<String> kind) {

  public static final int MAX_LIMIT = 100;
  public static final int DEFAULT_LIMIT = 10;

  /** 10 kB: a pasted paragraph or stack trace is a query; a whole file is not. */
  public static final int MAX_QUERY_BYTES = 10 * 1024;

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(repositoryRoot, "repositoryRoot");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(kind, "kind");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    int bytes = query.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_QUERY_BYTES) {
      throw new IllegalArgumentException(
          "query is " + bytes + " bytes; at most " + MAX_QUERY_BYTES + " bytes are searched");
    }
  }

  /** A query over every repository, language and kind. */
  public static SearchRequest of(String query, int limit) {
    return new SearchRequest(query, limit, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
