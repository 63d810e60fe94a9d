package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Owner of {@code workers}: every worker process registers itself and heartbeats; whether it is
 * alive is read from the heartbeat's age. Works on the caller's connection.
 */
public final class WorkerTable {

  private WorkerTable() {}

  /** A worker as it registers: its name is the key, a restarted worker takes its row over. */
  public record Registration(
      String name,
      String host,
      int maxTokens,
      int concurrency,
      String backend,
      String model,
      String version) {}

  public static void register(Connection c, Registration w) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into workers (name, host, max_tokens, concurrency, backend, model, version,"
                + " state, current_jobs, started_at, last_heartbeat)"
                + " values (?, ?, ?, ?, ?, ?, ?, 'running', 0, now(), now())"
                + " on conflict (name) do update set host = excluded.host,"
                + " max_tokens = excluded.max_tokens, concurrency = excluded.concurrency,"
                + " backend = excluded.backend, model = excluded.model,"
                + " version = excluded.version, state = 'running', current_jobs = 0,"
                + " started_at = now(), last_heartbeat = now()")) {
      ps.setString(1, w.name());
      ps.setString(2, w.host());
      ps.setInt(3, w.maxTokens());
      ps.setInt(4, w.concurrency());
      ps.setString(5, w.backend());
      ps.setString(6, w.model());
      ps.setString(7, w.version());
      ps.executeUpdate();
    }
  }

  public static void heartbeat(Connection c, String name, int currentJobs, WorkerState state)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update workers set last_heartbeat = now(), current_jobs = ?, state = ?"
                + " where name = ?")) {
      ps.setInt(1, currentJobs);
      ps.setString(2, state.db());
      ps.setString(3, name);
      ps.executeUpdate();
    }
  }

  /**
   * Workers not stopped whose heartbeat is younger than {@code deadAfterSeconds}, and the largest
   * {@code --max-tokens} among them (0 when none).
   */
  public record Live(int count, int largestMaxTokens) {}

  public static Live live(Connection c, int deadAfterSeconds) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*), coalesce(max(max_tokens), 0) from workers where state <> 'stopped'"
                + " and last_heartbeat > now() - make_interval(secs => ?)")) {
      ps.setInt(1, deadAfterSeconds);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Live(rs.getInt(1), rs.getInt(2));
      }
    }
  }
}
