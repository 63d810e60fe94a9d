package io.codegloss.core.report;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue as an operator sees it: jobs by kind and status, and the jobs that no live worker can
 * take because they are larger than every live worker's limit (shown, never silently stuck).
 */
public final class QueueHealth {

  /**
   * @param byStatus "batch/enqueued" → count, and so on
   * @param tooLargeForLiveWorkers enqueued jobs larger than the largest live worker's limit
   * @param liveWorkers workers whose heartbeat is recent
   * @param largestLiveLimit the largest --max-tokens among them (0 when none)
   */
  public record Snapshot(
      Map<String, Long> byStatus,
      long tooLargeForLiveWorkers,
      int liveWorkers,
      int largestLiveLimit) {}

  private final Database db;
  private final int deadAfterSeconds;

  public QueueHealth(Database db, int deadAfterSeconds) {
    this.db = db;
    this.deadAfterSeconds = deadAfterSeconds;
  }

  public Snapshot snapshot() {
    return db.withConnection(
        c -> {
          Map<String, Long> byStatus = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select kind, status, count(*) from jobs group by kind, status order by kind, status");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byStatus.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
            }
          }
          int live;
          int largest;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select count(*), coalesce(max(max_tokens), 0) from workers where state <> 'stopped'"
                      + " and last_heartbeat > now() - make_interval(secs => ?)")) {
            ps.setInt(1, deadAfterSeconds);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              live = rs.getInt(1);
              largest = rs.getInt(2);
            }
          }
          long tooLarge = 0;
          if (live > 0) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "select count(*) from jobs where status = 'enqueued' and tokens > ?")) {
              ps.setInt(1, largest);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tooLarge = rs.getLong(1);
              }
            }
          }
          return new Snapshot(byStatus, tooLarge, live, largest);
        });
  }
}
