package io.codegloss.core.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one PostgreSQL notification channel that says "jobs became runnable": whoever makes JobRunr
 * jobs ENQUEUED announces it in the same transaction (PostgreSQL delivers it at commit, so a
 * listener never hears of a job it cannot yet see), and idle workers listen ({@link WakeListener})
 * instead of waiting for JobRunr's next poll. The poll stays the fallback, so a lost notification
 * only costs the old delay.
 */
public final class WakeChannel {

  /** The channel's name; an identifier, since LISTEN takes no parameters. */
  public static final String NAME = "codegloss_jobs_enqueued";

  private WakeChannel() {}

  /**
   * Announces new runnable jobs on the caller's connection; delivered when its transaction commits
   * (at once in auto-commit). PostgreSQL folds identical notifications of one transaction into one.
   */
  public static void announce(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, '')")) {
      ps.setString(1, NAME);
      ps.execute();
    }
  }

  /** Subscribes the connection (which must stay in auto-commit) to the channel. */
  static void listen(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("listen " + NAME);
    }
  }
}
