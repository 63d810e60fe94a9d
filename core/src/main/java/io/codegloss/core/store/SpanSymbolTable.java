package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The read side of spans that call resolution needs: the repository's symbol table and the names
 * defined in given files. Reads only; the spans table's writes stay with the indexer's store.
 */
public final class SpanSymbolTable {

  /** One span as the call resolver sees it. */
  public record Symbol(
      long spanId,
      String path,
      String language,
      String kind,
      String name,
      String symbol,
      @Nullable String parentSymbol) {}

  private SpanSymbolTable() {}

  /** Every span of the repository with its file path and its parent's symbol. */
  public static List<Symbol> load(Connection c, long repoId) throws SQLException {
    List<Symbol> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.id, f.path, s.language, s.kind, s.name, s.symbol, p.symbol"
                + " from spans s join files f on f.id = s.file_id"
                + " left join spans p on p.id = s.parent_id where s.repo_id = ?")) {
      ps.setLong(1, repoId);
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Symbol(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
    }
    return out;
  }

  /** The distinct span names defined in the given files. */
  public static Set<String> namesOfFiles(Connection c, Collection<Long> fileIds)
      throws SQLException {
    Set<String> out = new HashSet<>();
    if (fileIds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement("select distinct name from spans where file_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
