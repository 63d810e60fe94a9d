package io.codegloss.testing;

import io.codegloss.core.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A test's look at what the code under test wrote: one query, its first column. Tests assert on
 * rows with their own SQL on purpose (they check the tables' owners, so they do not read through
 * them); this is the JDBC they all need for it, once.
 */
public final class Rows {

  private Rows() {}

  /** The first column of every row, as text ({@code null} where SQL NULL), in the query's order. */
  public static List<String> strings(Database db, String sql, Object... params) {
    return db.withConnection(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /** The first column of the first row as a number: a {@code count(*)}, a sum, an id. */
  public static long count(Database db, String sql, Object... params) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The first column of the first row as text; {@code null} where there is no row. */
  public static @Nullable String string(Database db, String sql, Object... params) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
          }
        });
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }
}
