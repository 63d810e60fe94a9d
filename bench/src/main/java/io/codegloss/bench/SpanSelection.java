package io.codegloss.bench;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spans every run enriches. Indexing the same corpus into a fresh database gives the same
 * spans, but not necessarily the same ids, so spans are named by file, lines, kind and symbol. With
 * {@code --limit N} the first N in file and line order are kept (a class before its methods) and
 * the others are deleted right after indexing, before anything is planned.
 */
final class SpanSelection {

  private final List<String> keys;

  private SpanSelection(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The first {@code limit} spans of {@code db} (0: all). */
  static SpanSelection first(Database db, int limit) {
    List<String> all = keys(db);
    return new SpanSelection(limit > 0 && limit < all.size() ? all.subList(0, limit) : all);
  }

  /** The first {@code limit} spans of this selection (0: all of them). */
  SpanSelection limit(int limit) {
    return limit > 0 && limit < keys.size() ? new SpanSelection(keys.subList(0, limit)) : this;
  }

  int size() {
    return keys.size();
  }

  /** Deletes every span of {@code db} that is not selected; returns how many are left. */
  int apply(Database db) {
    Set<String> keep = new HashSet<>(keys);
    return db.inTransaction(
        c -> {
          List<Long> drop = new ArrayList<>();
          int left = 0;
          try (PreparedStatement ps = c.prepareStatement(SELECT);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (keep.contains(rs.getString(2))) {
                left++;
              } else {
                drop.add(rs.getLong(1));
              }
            }
          }
          if (!drop.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("delete from spans where id = any(?)")) {
              ps.setArray(1, c.createArrayOf("bigint", drop.toArray()));
              ps.executeUpdate();
            }
          }
          return left;
        });
  }

  private static final String SELECT =
      "select s.id, f.path || ':' || s.start_line || '-' || s.end_line || ':' || s.kind || ':'"
          + " || s.symbol from spans s join files f on f.id = s.file_id"
          + " order by f.path, s.start_line, s.end_line desc, s.symbol";

  private static List<String> keys(Database db) {
    return db.withConnection(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(SELECT);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(2));
            }
          }
          return out;
        });
  }
}
