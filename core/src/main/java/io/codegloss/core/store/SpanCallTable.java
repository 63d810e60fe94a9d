package io.codegloss.core.store;

import io.codegloss.core.facts.SpanFacts.Call;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Owner of span_calls: the calls each span makes, as written, and the span each resolves to. Calls
 * are written with their file (unresolved); resolution runs after an index run over the calls that
 * could have changed target, and writes back set-based.
 */
public final class SpanCallTable {

  /** The calls of one span, named by the span's row id. */
  public record SpanCalls(long spanId, List<Call> calls) {}

  /**
   * A call waiting for (re-)resolution, with what the resolver needs to know about its caller.
   *
   * @param ordinal the call's position among its span's calls
   * @param currentTarget the span the call resolves to now, or null
   */
  public record Pending(
      long fromSpanId,
      int ordinal,
      long callerFileId,
      String callerPath,
      String language,
      String callerSymbol,
      @Nullable String callerSignature,
      Call call,
      @Nullable Long currentTarget) {}

  /** The outcome of resolving one call; {@code toSpanId} null when unresolved. */
  public record Resolution(long fromSpanId, int ordinal, @Nullable Long toSpanId) {}

  /**
   * One call edge as readers see it.
   *
   * @param toSpanId the callee span, or null when the call stays a plain name
   */
  public record Edge(
      long fromSpanId,
      int line,
      String calleeName,
      @Nullable String receiver,
      @Nullable Long toSpanId) {}

  private static final int RESOLUTION_CHUNK = 20_000;

  private SpanCallTable() {}

  /**
   * Replaces the calls of every span of one file, each span named by its row id. The new rows are
   * unresolved until {@link #storeResolutions} runs (queue the file in {@link
   * CallResolutionQueueTable}).
   */
  public static void replaceForFile(Connection c, long repoId, long fileId, List<SpanCalls> spans)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "delete from span_calls where from_span_id in"
                + " (select id from spans where file_id = ?)")) {
      ps.setLong(1, fileId);
      ps.executeUpdate();
    }
    int n = 0;
    for (SpanCalls s : spans) {
      n += s.calls().size();
    }
    if (n == 0) {
      return;
    }
    // The caller knows each span's id, so the rows go in as arrays without a join on spans by
    // place and symbol (that join, and the symbol array it needed, was part of the write cost).
    Long[] from = new Long[n];
    Integer[] ordinals = new Integer[n];
    Integer[] lines = new Integer[n];
    String[] names = new String[n];
    String[] receivers = new String[n];
    String[] types = new String[n];
    int k = 0;
    for (SpanCalls s : spans) {
      for (int i = 0; i < s.calls().size(); i++, k++) {
        Call call = s.calls().get(i);
        from[k] = s.spanId();
        ordinals[k] = i;
        lines[k] = call.line();
        names[k] = call.name();
        receivers[k] = call.receiver();
        types[k] = call.receiverType();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into span_calls (from_span_id, ordinal, repo_id, line, callee_name, receiver,"
                + " receiver_type)"
                + " select u.sid, u.ord, ?, u.line, u.name, u.recv, u.rtype"
                + " from unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[])"
                + " as u(sid, ord, line, name, recv, rtype)")) {
      int p = 1;
      ps.setLong(p++, repoId);
      ps.setArray(p++, c.createArrayOf("int8", from));
      ps.setArray(p++, c.createArrayOf("int4", ordinals));
      ps.setArray(p++, c.createArrayOf("int4", lines));
      ps.setArray(p++, c.createArrayOf("text", names));
      ps.setArray(p++, c.createArrayOf("text", receivers));
      ps.setArray(p, c.createArrayOf("text", types));
      ps.executeUpdate();
    }
  }

  /**
   * The calls of the repository that need resolving: those of the files in {@code fileIds}, and
   * those calling one of {@code names} (names whose defining spans were added, removed or renamed),
   * except the calls of the files in {@code except} (the caller holds those already).
   */
  public static List<Pending> loadToResolve(
      Connection c,
      long repoId,
      Collection<Long> fileIds,
      Collection<String> names,
      Collection<Long> except)
      throws SQLException {
    List<Pending> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select k.from_span_id, k.ordinal, f.id, f.path, s.language, s.symbol, s.signature,"
                + " k.callee_name, k.receiver, k.line, k.receiver_type, k.to_span_id"
                + " from span_calls k join spans s on s.id = k.from_span_id"
                + " join files f on f.id = s.file_id"
                + " where k.repo_id = ? and (s.file_id = any(?) or k.callee_name = any(?))"
                + " and s.file_id <> all(?)")) {
      ps.setLong(1, repoId);
      ps.setArray(2, c.createArrayOf("bigint", fileIds.toArray()));
      ps.setArray(3, c.createArrayOf("text", names.toArray()));
      ps.setArray(4, c.createArrayOf("bigint", except.toArray()));
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long target = rs.getLong(12);
          Long current = rs.wasNull() ? null : target;
          out.add(
              new Pending(
                  rs.getLong(1),
                  rs.getInt(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  new Call(rs.getString(8), rs.getString(9), rs.getInt(10), rs.getString(11)),
                  current));
        }
      }
    }
    return out;
  }

  /**
   * Writes new targets back, set-based in chunks; pass only the calls whose target changed.
   *
   * @return the number of rows changed
   */
  public static int storeResolutions(Connection c, List<Resolution> resolutions)
      throws SQLException {
    int changed = 0;
    for (int from = 0; from < resolutions.size(); from += RESOLUTION_CHUNK) {
      List<Resolution> chunk =
          resolutions.subList(from, Math.min(resolutions.size(), from + RESOLUTION_CHUNK));
      Long[] fromIds = new Long[chunk.size()];
      Integer[] ordinals = new Integer[chunk.size()];
      Long[] toIds = new Long[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        fromIds[i] = chunk.get(i).fromSpanId();
        ordinals[i] = chunk.get(i).ordinal();
        toIds[i] = chunk.get(i).toSpanId();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "update span_calls k set to_span_id = u.to_id"
                  + " from unnest(?::bigint[], ?::int[], ?::bigint[]) as u(from_id, ord, to_id)"
                  + " where k.from_span_id = u.from_id and k.ordinal = u.ord"
                  + " and k.to_span_id is distinct from u.to_id")) {
        ps.setArray(1, c.createArrayOf("bigint", fromIds));
        ps.setArray(2, c.createArrayOf("int4", ordinals));
        ps.setArray(3, c.createArrayOf("bigint", toIds));
        changed += ps.executeUpdate();
      }
    }
    return changed;
  }

  /** The calls a span makes, in source order, resolved or not. */
  public static List<Edge> callees(Connection c, long spanId) throws SQLException {
    return edges(
        c,
        "select from_span_id, line, callee_name, receiver, to_span_id from span_calls"
            + " where from_span_id = ? order by ordinal",
        spanId);
  }

  /** The resolved calls into a span (called-by), by caller and line. */
  public static List<Edge> callers(Connection c, long spanId) throws SQLException {
    return edges(
        c,
        "select from_span_id, line, callee_name, receiver, to_span_id from span_calls"
            + " where to_span_id = ? order by from_span_id, ordinal",
        spanId);
  }

  private static List<Edge> edges(Connection c, String sql, long spanId) throws SQLException {
    List<Edge> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long to = rs.getLong(5);
          Long toId = rs.wasNull() ? null : to;
          out.add(new Edge(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), toId));
        }
      }
    }
    return out;
  }

  /**
   * A call as {@code show} lists it: from {@code caller} at {@code line}, to {@code callee} (null
   * while unresolved, the call then known by {@code name} alone).
   *
   * @param lineText the caller's source line of the call, stripped: a real usage example
   */
  public record Shown(
      SpanLinkTable.Linked caller,
      int line,
      String name,
      @Nullable String receiver,
      SpanLinkTable.@Nullable Linked callee,
      String lineText) {}

  private static final String SHOWN =
      "select c.line, c.callee_name, c.receiver,"
          + " a.id, af.path, a.kind, a.symbol, a.start_line, a.end_line,"
          + " split_part(a.code, E'\\n', c.line - a.start_line + 1),"
          + " b.id, bf.path, b.kind, b.symbol, b.start_line, b.end_line"
          + " from span_calls c"
          + " join spans a on a.id = c.from_span_id join files af on af.id = a.file_id"
          + " left join spans b on b.id = c.to_span_id left join files bf on bf.id = b.file_id";

  /** What {@code spanId} calls, in source order. */
  public static List<Shown> calleesOf(Connection c, long spanId) throws SQLException {
    return shown(c, SHOWN + " where c.from_span_id = ? order by c.ordinal", spanId);
  }

  /**
   * The resolved calls into {@code spanId}: callers in test files first (their lines are the best
   * usage examples), then by path and line; at most {@code limit}.
   */
  public static List<Shown> callersOf(Connection c, long spanId, int limit) throws SQLException {
    return shown(
        c,
        SHOWN
            + " where c.to_span_id = ?"
            + " order by (af.path ~* '(^|/)(tests?|spec)(/|_)|_test\\.|\\.test\\.|test_') desc,"
            + " af.path, c.line limit "
            + Math.max(1, limit),
        spanId);
  }

  private static List<Shown> shown(Connection c, String sql, long spanId) throws SQLException {
    List<Shown> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SpanLinkTable.Linked caller =
              new SpanLinkTable.Linked(
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getInt(8),
                  rs.getInt(9));
          long to = rs.getLong(11);
          SpanLinkTable.Linked callee =
              rs.wasNull()
                  ? null
                  : new SpanLinkTable.Linked(
                      to,
                      rs.getString(12),
                      rs.getString(13),
                      rs.getString(14),
                      rs.getInt(15),
                      rs.getInt(16));
          String text = rs.getString(10);
          out.add(
              new Shown(
                  caller,
                  rs.getInt(1),
                  rs.getString(2),
                  rs.getString(3),
                  callee,
                  text == null ? "" : text.strip()));
        }
      }
    }
    return out;
  }
}
