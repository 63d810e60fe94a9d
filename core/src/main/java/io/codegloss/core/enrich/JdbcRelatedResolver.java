package io.codegloss.core.enrich;

import io.codegloss.core.db.Database;
import io.codegloss.core.store.SpanTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** See {@link RelatedResolver#forRepo}. */
final class JdbcRelatedResolver implements RelatedResolver {

  private final Connection connection;
  private final long repoId;
  private final long fileId;
  private final Map<String, OptionalLong> cache = new HashMap<>();

  JdbcRelatedResolver(Connection connection, long repoId, long fileId) {
    this.connection = connection;
    this.repoId = repoId;
    this.fileId = fileId;
  }

  @Override
  public OptionalLong resolve(String name) {
    OptionalLong cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    OptionalLong result = pick(name, load(name));
    cache.put(name, result);
    return result;
  }

  private List<SpanTable.NameCandidate> load(String name) {
    try {
      return SpanTable.byName(connection, repoId, name);
    } catch (SQLException e) {
      throw Database.translate(e);
    }
  }

  private OptionalLong pick(String name, List<SpanTable.NameCandidate> all) {
    // Same file first: there a bare name almost always means the neighbour the model just saw.
    for (boolean bySymbol : new boolean[] {true, false}) {
      for (SpanTable.NameCandidate c : all) {
        if (c.fileId() == fileId && (bySymbol ? c.symbol() : c.name()).equals(name)) {
          return OptionalLong.of(c.id());
        }
      }
    }
    // Elsewhere only an unambiguous match counts: a wrong link is worse than none.
    for (boolean bySymbol : new boolean[] {true, false}) {
      List<SpanTable.NameCandidate> matches = new ArrayList<>();
      for (SpanTable.NameCandidate c : all) {
        if ((bySymbol ? c.symbol() : c.name()).equals(name)) {
          matches.add(c);
        }
      }
      if (matches.size() == 1) {
        return OptionalLong.of(matches.get(0).id());
      }
      if (matches.size() > 1) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }
}
