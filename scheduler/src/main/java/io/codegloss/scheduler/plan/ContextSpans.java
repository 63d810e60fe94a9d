package io.codegloss.scheduler.plan;

import io.codegloss.core.span.SpanKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Read-only context for a job: the spans of the same file that are near it but not in it, so that a
 * batch of one edited span still sees its former batch-mates. The prompt builder renders their
 * signatures and existing summaries as context and asks for no enrichment of them.
 *
 * <p>Order: spans of the batch's kind and parent first (the batch's own group), then spans of its
 * kind, then any; within each, nearest to the batch's line range first (a span overlapping it
 * counts as distance 0), then by line.
 */
public final class ContextSpans {

  /** Neighbours per job unless the caller asks otherwise. */
  public static final int DEFAULT_LIMIT = 4;

  /**
   * A neighbour.
   *
   * @param signature {@code spans.signature}, or the first line of its code when it has none
   * @param summary the newest current summary ({@code enrichments.span_hash = content_hash}) of any
   *     model and prompt version, or null when it has none yet
   */
  public record ContextSpan(
      long spanId,
      SpanKind kind,
      String symbol,
      int startLine,
      int endLine,
      String signature,
      @Nullable String summary) {}

  private static final String SQL =
      """
      with batch as (
        select id, kind, parent_id, start_line, end_line from spans
        where file_id = ? and id = any(?)
      ),
      first_span as (select kind, parent_id from batch order by start_line, id limit 1),
      extent as (select min(start_line) as lo, max(end_line) as hi from batch)
      select s.id, s.kind, s.symbol, s.start_line, s.end_line,
             coalesce(nullif(s.signature, ''), split_part(s.code, E'\\n', 1)) as signature,
             (select e.summary from enrichments e
              where e.span_id = s.id and e.span_hash = s.content_hash
              order by e.created_at desc, e.model limit 1) as summary
      from spans s, first_span, extent
      where s.file_id = ? and s.id <> all(?)
      order by
        case when s.kind = first_span.kind and s.parent_id is not distinct from first_span.parent_id then 0
             when s.kind = first_span.kind then 1
             else 2 end,
        case when s.end_line < extent.lo then extent.lo - s.end_line
             when s.start_line > extent.hi then s.start_line - extent.hi
             else 0 end,
        s.start_line, s.id
      limit ?
      """;

  private ContextSpans() {}

  /** Up to {@link #DEFAULT_LIMIT} neighbours of {@code batch}. */
  public static List<ContextSpan> forBatch(Connection connection, PlannedBatch batch)
      throws SQLException {
    return forBatch(connection, batch, DEFAULT_LIMIT);
  }

  public static List<ContextSpan> forBatch(Connection connection, PlannedBatch batch, int limit)
      throws SQLException {
    return forSpans(
        connection, batch.fileId(), batch.spans().stream().map(PlanSpan::spanId).toList(), limit);
  }

  /**
   * Up to {@code limit} neighbours of the spans {@code spanIds} of file {@code fileId}, for callers
   * that hold a job's span ids rather than a planned batch (the worker).
   */
  public static List<ContextSpan> forSpans(
      Connection connection, long fileId, Collection<Long> spanIds, int limit) throws SQLException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    if (spanIds.isEmpty() || limit == 0) {
      return List.of();
    }
    Array ids = connection.createArrayOf("bigint", spanIds.toArray(new Long[0]));
    List<ContextSpan> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(SQL)) {
      ps.setLong(1, fileId);
      ps.setArray(2, ids);
      ps.setLong(3, fileId);
      ps.setArray(4, ids);
      ps.setInt(5, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ContextSpan(
                  rs.getLong("id"),
                  SpanKind.fromDb(rs.getString("kind")),
                  rs.getString("symbol"),
                  rs.getInt("start_line"),
                  rs.getInt("end_line"),
                  rs.getString("signature"),
                  rs.getString("summary")));
        }
      }
    } finally {
      ids.free();
    }
    return out;
  }
}
