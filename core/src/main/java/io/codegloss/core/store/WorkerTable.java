package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
                + " current_calls = 0, calls_busy_pct = null,"
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

  /**
   * @param currentJobs jobs the worker runs now, including those preparing or waiting for a call
   * @param currentCalls of those, the ones whose call to the model is in flight
   * @param callsBusyPercent the share of its call slots in use since its last heartbeat (0-100)
   */
  public static void heartbeat(
      Connection c,
      String name,
      int currentJobs,
      int currentCalls,
      int callsBusyPercent,
      WorkerState state)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update workers set last_heartbeat = now(), current_jobs = ?, current_calls = ?,"
                + " calls_busy_pct = ?, state = ? where name = ?")) {
      ps.setInt(1, currentJobs);
      ps.setInt(2, currentCalls);
      ps.setInt(3, callsBusyPercent);
      ps.setString(4, state.db());
      ps.setString(5, name);
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

  /**
   * The largest limit among running workers with a recent heartbeat, or null when none runs. Only
   * running workers take new jobs: a draining one finishes what it holds and stops.
   */
  public static @Nullable Integer maxRunningTokens(Connection c, int deadAfterSeconds)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select max(max_tokens) from workers where state = 'running'"
                + " and last_heartbeat > now() - make_interval(secs => ?)")) {
      ps.setInt(1, deadAfterSeconds);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  /**
   * A worker row with its silence measured by the database's clock (a skewed reader host must not
   * declare workers dead).
   */
  public record Seen(
      String name,
      String host,
      int maxTokens,
      int concurrency,
      String backend,
      String model,
      String version,
      WorkerState state,
      int currentJobs,
      int currentCalls,
      @Nullable Integer callsBusyPercent,
      Instant startedAt,
      Instant lastHeartbeat,
      long silentSeconds) {}

  /** Workers heard from within {@code forgetAfterSeconds}, by name. */
  public static List<Seen> heardFromWithin(Connection c, int forgetAfterSeconds)
      throws SQLException {
    List<Seen> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select name, host, max_tokens, concurrency, backend, model, version, state,"
                + " current_jobs, current_calls, calls_busy_pct, started_at, last_heartbeat,"
                + " greatest(0, floor(extract(epoch from (now() - last_heartbeat))))::bigint"
                + " from workers where last_heartbeat > now() - make_interval(secs => ?)"
                + " order by name")) {
      ps.setInt(1, forgetAfterSeconds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Seen(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  WorkerState.fromDb(rs.getString(8)),
                  rs.getInt(9),
                  rs.getInt(10),
                  rs.getObject(11, Integer.class),
                  rs.getTimestamp(12).toInstant(),
                  rs.getTimestamp(13).toInstant(),
                  rs.getLong(14)));
        }
      }
    }
    return out;
  }
}
