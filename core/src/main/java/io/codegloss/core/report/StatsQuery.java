package io.codegloss.core.report;

import io.codegloss.core.db.Database;
import io.codegloss.core.store.LlmCallTable;
import java.util.ArrayList;
import java.util.List;

/**
 * What batching costs and saves, from {@code llm_calls} and {@code jobs}: the numbers behind {@code
 * codegloss stats}, the dashboard's savings panel and the benchmark.
 */
public final class StatsQuery {

  /**
   * One row per mode, model and worker.
   *
   * @param spansPerCall spans asked for per call
   * @param firstTryValidRate share of spans asked for in a first-try call that came back valid
   * @param spansSalvaged valid spans stored from batches that were only partly valid
   * @param reenqueuedAsSingle spans of batches handed back as single-span jobs
   * @param secretsRedacted secrets cut out of these calls' prompts
   */
  public record Row(
      String mode,
      String model,
      String worker,
      long jobs,
      long calls,
      long spans,
      long spansValid,
      double spansPerCall,
      double promptTokensPerSpan,
      double completionTokensPerSpan,
      double secondsPerSpan,
      double firstTryValidRate,
      long spansSalvaged,
      long reenqueuedAsSingle,
      long secretsRedacted) {}

  private final Database db;

  public StatsQuery(Database db) {
    this.db = db;
  }

  public List<Row> byModeModelWorker() {
    List<Row> rows = new ArrayList<>();
    for (LlmCallTable.Totals t : db.withConnection(LlmCallTable::totalsByModeModelWorker)) {
      rows.add(
          new Row(
              t.mode(),
              t.model(),
              t.worker(),
              t.jobs(),
              t.calls(),
              t.spans(),
              t.spansValid(),
              ratio(t.spans(), t.calls()),
              ratio(t.promptTokens(), t.spans()),
              ratio(t.completionTokens(), t.spans()),
              ratio(t.wallMs(), t.spans()) / 1000.0,
              ratio(t.firstTryValid(), t.firstTrySpans()),
              t.salvaged(),
              t.reenqueuedAsSingle(),
              t.secretsRedacted()));
    }
    return rows;
  }

  /** Secrets kept out of every prompt so far, and in how many calls. */
  public LlmCallTable.Redactions redactions() {
    return db.withConnection(LlmCallTable::redactions);
  }

  static double ratio(long a, long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }
}
