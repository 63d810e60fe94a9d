package io.codegloss.core.enrich;

import io.codegloss.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** See {@link RelatedResolver#forRepo}. */
final class JdbcRelatedResolver implements RelatedResolver {

  private static final String SQL =
      "select id, file_id, name, symbol, start_line from spans"
          + " where repo_id = ? and (symbol = ? or name = ?)"
          + " order by start_line, id limit 200";

  private record Candidate(long id, long fileId, String name, String symbol) {}

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

  private List<Candidate> load(String name) {
    List<Candidate> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(SQL)) {
      ps.setLong(1, repoId);
      ps.setString(2, name);
      ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Candidate(
                  rs.getLong("id"),
                  rs.getLong("file_id"),
                  rs.getString("name"),
                  rs.getString("symbol")));
        }
      }
    } catch (SQLException e) {
      throw Database.translate(e);
    }
    return out;
  }

  private OptionalLong pick(String name, List<Candidate> all) {
    // Same file first: there a bare name almost always means the neighbour the model just saw.
    for (boolean bySymbol : new boolean[] {true, false}) {
      for (Candidate c : all) {
        if (c.fileId() == fileId && (bySymbol ? c.symbol() : c.name()).equals(name)) {
          return OptionalLong.of(c.id());
        }
      }
    }
    // Elsewhere only an unambiguous match counts: a wrong link is worse than none.
    for (boolean bySymbol : new boolean[] {true, false}) {
      List<Candidate> matches = new ArrayList<>();
      for (Candidate c : all) {
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
