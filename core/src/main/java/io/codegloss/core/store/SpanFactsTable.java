package io.codegloss.core.store;

import io.codegloss.core.facts.SpanFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Owner of span_facts: the facts analysis read from each span's code. */
public final class SpanFactsTable {

  /**
   * The facts of one span of a file, named by its place and symbol so that they can be written in
   * the same transaction as the span rows without knowing the rows' ids.
   */
  public record Entry(
      int startByte, int endByte, String symbol, String spanHash, SpanFacts facts) {}

  private SpanFactsTable() {}

  /**
   * Writes the facts of the spans of one file, matching each entry to the file's span row with the
   * same bytes and symbol; entries without a row are left out. One statement for the whole file.
   */
  public static void writeForFile(
      Connection c, long fileId, int analyzerVersion, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    List<Integer> starts = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    List<String> symbols = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<String> json = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : entries) {
      // Two entries for one row would make the upsert touch a row twice and fail the file.
      if (!seen.add(e.startByte() + ":" + e.endByte() + ":" + e.symbol())) {
        continue;
      }
      starts.add(e.startByte());
      ends.add(e.endByte());
      symbols.add(e.symbol());
      hashes.add(e.spanHash());
      json.add(FactsJson.write(e.facts()));
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into span_facts (span_id, span_hash, analyzer_version, facts)"
                + " select s.id, u.hash, ?, u.facts::jsonb"
                + " from unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[])"
                + " as u(sb, eb, sym, hash, facts)"
                + " join spans s on s.file_id = ? and s.start_byte = u.sb and s.end_byte = u.eb"
                + " and s.symbol = u.sym"
                + " on conflict (span_id) do update set span_hash = excluded.span_hash,"
                + " analyzer_version = excluded.analyzer_version, facts = excluded.facts")) {
      ps.setInt(1, analyzerVersion);
      ps.setArray(2, c.createArrayOf("int4", starts.toArray()));
      ps.setArray(3, c.createArrayOf("int4", ends.toArray()));
      ps.setArray(4, c.createArrayOf("text", symbols.toArray()));
      ps.setArray(5, c.createArrayOf("text", hashes.toArray()));
      ps.setArray(6, c.createArrayOf("text", json.toArray()));
      ps.setLong(7, fileId);
      ps.executeUpdate();
    }
  }

  /**
   * For a query over {@code spans s}: the span's facts as JSON text, null when not analysed (read
   * with {@link #facts}); the same rows as {@link #read}.
   */
  static final String FACTS_OF_S =
      "(select fa.facts::text from span_facts fa where fa.span_id = s.id)";

  static @Nullable SpanFacts facts(@Nullable String column) {
    return column == null ? null : FactsJson.readFacts(column);
  }

  /** The facts of one span, when analysed. */
  public static Optional<SpanFacts> read(Connection c, long spanId) throws SQLException {
    return Optional.ofNullable(read(c, List.of(spanId)).get(spanId));
  }

  /** The facts of several spans by span id; spans without facts are absent. */
  public static Map<Long, SpanFacts> read(Connection c, Collection<Long> spanIds)
      throws SQLException {
    Map<Long, SpanFacts> out = new HashMap<>();
    if (spanIds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement("select span_id, facts::text from span_facts where span_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", spanIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), FactsJson.readFacts(rs.getString(2)));
        }
      }
    }
    return out;
  }
}
