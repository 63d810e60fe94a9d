package io.codegloss.core.report;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
      long reenqueuedAsSingle) {}

  private final Database db;

  public StatsQuery(Database db) {
    this.db = db;
  }

  public List<Row> byModeModelWorker() {
    return db.withConnection(
        c -> {
          List<Row> rows = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select l.mode, l.model, l.worker, count(distinct l.job_id), count(*),"
                      + " sum(l.span_count), sum(l.items_valid),"
                      + " coalesce(sum(l.prompt_tokens), 0), coalesce(sum(l.completion_tokens), 0),"
                      + " sum(l.wall_ms),"
                      + " sum(case when l.first_try then l.span_count else 0 end),"
                      + " sum(case when l.first_try then l.items_valid else 0 end),"
                      + " sum(case when l.outcome = 'partial' then l.items_valid else 0 end),"
                      + " sum(case when l.mode = 'batch' then l.span_count - l.items_valid else 0 end)"
                      + " from llm_calls l group by l.mode, l.model, l.worker"
                      + " order by l.mode, l.model, l.worker")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long calls = rs.getLong(5);
                long spans = rs.getLong(6);
                long firstTrySpans = rs.getLong(11);
                rows.add(
                    new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        calls,
                        spans,
                        rs.getLong(7),
                        ratio(spans, calls),
                        ratio(rs.getLong(8), spans),
                        ratio(rs.getLong(9), spans),
                        ratio(rs.getLong(10), spans) / 1000.0,
                        ratio(rs.getLong(12), firstTrySpans),
                        rs.getLong(13),
                        rs.getLong(14)));
              }
            }
          }
          return rows;
        });
  }

  static double ratio(long a, long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }
}
