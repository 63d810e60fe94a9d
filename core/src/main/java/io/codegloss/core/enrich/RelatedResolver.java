package io.codegloss.core.enrich;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns a name a model wrote in {@code related_spans} into the id of a span of the index. Names
 * that do not resolve are dropped by the validator and never stored as links.
 */
@FunctionalInterface
public interface RelatedResolver {

  /**
   * @param name a span name ({@code set_email}) or symbol ({@code User.set_email}), already cleaned
   *     of call parentheses and quoting
   * @return the span id, or empty when no span (or no unambiguous span) has that name
   */
  OptionalLong resolve(String name);

  /** Resolves nothing: every related name is dropped. */
  static RelatedResolver none() {
    return name -> OptionalLong.empty();
  }

  /** Resolves exactly the given names. */
  static RelatedResolver of(Map<String, Long> idsByName) {
    Map<String, Long> copy = new HashMap<>(idsByName);
    return name -> {
      Long id = copy.get(name);
      return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    };
  }

  /**
   * Resolves against the spans table of one repository, preferring spans of file {@code fileId},
   * then unambiguous repo-wide matches; {@code name} matches a span's {@code symbol} before its
   * {@code name}. A name that matches several spans in other files resolves to nothing rather than
   * to a guess. Lookups are cached; the connection must stay open while the resolver is used.
   */
  static RelatedResolver forRepo(Connection connection, long repoId, long fileId) {
    return new JdbcRelatedResolver(connection, repoId, fileId);
  }
}
