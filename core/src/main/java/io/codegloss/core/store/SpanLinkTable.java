package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

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
}
