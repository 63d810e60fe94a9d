package io.codegloss.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Statements that act on whole databases ({@code create database}, {@code drop database}) and so
 * cannot run in a pooled connection to the database they concern, nor in a transaction.
 */
public final class AdminSql {

  private AdminSql() {}

  /** Runs {@code sql} on a fresh connection to {@code adminUrl}, outside any transaction. */
  public static void execute(
      String adminUrl, @Nullable String user, @Nullable String password, String sql)
      throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    try (Connection c = DriverManager.getConnection(adminUrl, props);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
