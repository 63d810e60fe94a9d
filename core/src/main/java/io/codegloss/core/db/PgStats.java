package io.codegloss.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The server's own statistics about this database, for measuring where time goes. */
public final class PgStats {

  private PgStats() {}

  /**
   * Milliseconds PostgreSQL spent executing statements in this database (PostgreSQL 14+), or -1 on
   * an older server. Sessions report their statistics asynchronously: read until two readings
   * agree.
   */
  public static double activeMillis(Connection c) throws SQLException {
    try (PreparedStatement clear = c.prepareStatement("select pg_stat_clear_snapshot()")) {
      clear.execute();
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "select coalesce(active_time, 0) from pg_stat_database"
                    + " where datname = current_database()");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getDouble(1) : 0.0;
    } catch (SQLException e) {
      return -1.0; // older server: no active_time
    }
  }
}
