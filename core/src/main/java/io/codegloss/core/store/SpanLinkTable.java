package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code span_links}: the related spans a model's note named that resolved to spans of the
 * repository. Works on the caller's connection.
 */
public final class SpanLinkTable {

  private SpanLinkTable() {}

  /** Replaces the links of {@code fromSpanId} written for {@code model} with {@code toSpanIds}. */
  public static void replace(Connection c, long fromSpanId, String model, List<Long> toSpanIds)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("delete from span_links where from_span_id = ? and model = ?")) {
      ps.setLong(1, fromSpanId);
      ps.setString(2, model);
      ps.executeUpdate();
    }
    if (toSpanIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into span_links (from_span_id, to_span_id, model) values (?, ?, ?)"
                + " on conflict do nothing")) {
      for (long to : toSpanIds) {
        ps.setLong(1, fromSpanId);
        ps.setLong(2, to);
        ps.setString(3, model);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A span at the other end of a link. */
  public record Linked(
      long spanId, String path, String kind, String symbol, int startLine, int endLine) {

    public String label() {
      return symbol + " (" + path + ":" + startLine + "-" + endLine + ")";
    }
  }

  /** The spans {@code spanId} links to (those written for {@code model} when it is not null). */
  public static List<Linked> from(Connection c, long spanId, @Nullable String model)
      throws SQLException {
    String sql =
        "select distinct s.id, f.path, s.kind, s.symbol, s.start_line, s.end_line"
            + " from span_links l join spans s on s.id = l.to_span_id"
            + " join files f on f.id = s.file_id where l.from_span_id = ?"
            + (model == null ? "" : " and l.model = ?")
            + " order by f.path, s.start_line";
    return links(c, sql, model == null ? new Object[] {spanId} : new Object[] {spanId, model});
  }

  /** The spans that link to {@code spanId}, whatever model wrote the link. */
  public static List<Linked> to(Connection c, long spanId) throws SQLException {
    String sql =
        "select distinct s.id, f.path, s.kind, s.symbol, s.start_line, s.end_line"
            + " from span_links l join spans s on s.id = l.from_span_id"
            + " join files f on f.id = s.file_id where l.to_span_id = ?"
            + " order by f.path, s.start_line";
    return links(c, sql, spanId);
  }

  private static List<Linked> links(Connection c, String sql, Object... params)
      throws SQLException {
    List<Linked> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Linked(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6)));
        }
      }
    }
    return out;
  }

  /** Every link as (from, to) span ids, whatever model wrote it. */
  public static List<long[]> all(Connection c) throws SQLException {
    List<long[]> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("select from_span_id, to_span_id from span_links");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new long[] {rs.getLong(1), rs.getLong(2)});
      }
    }
    return out;
  }
}
