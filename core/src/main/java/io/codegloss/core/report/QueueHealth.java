package io.codegloss.core.report;

import io.codegloss.core.db.Database;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.WorkerTable;
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
          Map<String, Long> byStatus = JobTable.countByKindAndStatus(c);
          WorkerTable.Live live = WorkerTable.live(c, deadAfterSeconds);
          long tooLarge =
              live.count() > 0 ? JobTable.countEnqueuedLargerThan(c, live.largestMaxTokens()) : 0;
          return new Snapshot(byStatus, tooLarge, live.count(), live.largestMaxTokens());
        });
  }
}
