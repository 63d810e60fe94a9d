package io.codegloss.core.store;

import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code spans}: the functions, methods and classes the indexer found, with their code.
 * Whether a span is enriched is not decided here but by the {@code span_state} view ({@link
 * SpanStates}). Every method works on the caller's connection, so the caller owns the transaction.
 */
public final class SpanTable {

  private SpanTable() {}

  /** The columns {@link #span} reads, for queries that join {@code spans s} and {@code files f}. */
  static final String SPAN_COLUMNS =
      "s.id, s.repo_id, s.file_id, f.path, s.language, s.kind, s.name, s.symbol, s.parent_id,"
          + " s.start_line, s.end_line, s.start_byte, s.end_byte, s.signature, s.doc_hint, s.code,"
          + " s.content_hash, s.token_estimate";

  static final int SPAN_COLUMN_COUNT = 18;

  static Span span(ResultSet rs) throws SQLException {
    return new Span(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getString(5),
        SpanKind.fromDb(rs.getString(6)),
        rs.getString(7),
        rs.getString(8),
        (Long) rs.getObject(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getInt(12),
        rs.getInt(13),
        rs.getString(14),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        rs.getInt(18));
  }

  /**
   * The current content hash of span {@code ?}, its row locked for the rest of the transaction: as
   * a statement of its own ({@link #lockHash}) or the first step of a write that must not outlive a
   * change of the span's code ({@link EnrichmentTable#upsertForCurrentCode}).
   */
  static final String LOCK_HASH = "select content_hash from spans where id = ? for update";

  /** A neighbour shown to the model as read-only context, with its newest note's summary. */
  public record Neighbour(
      String symbol,
      SpanKind kind,
      int startLine,
      @Nullable String signature,
      @Nullable String summary) {}

  /**
   * Up to {@code limit} spans of the same file outside {@code exclude}, nearest to {@code nearLine}
   * first, with their newest summary for their current code.
   */
  public static List<Neighbour> neighbours(
      Connection c, long fileId, List<Long> exclude, int nearLine, int limit) throws SQLException {
    List<Neighbour> result = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.symbol, s.kind, s.start_line, s.signature,"
                + " (select e.summary from enrichments e where e.span_id = s.id"
                + "   and e.span_hash = s.content_hash order by e.created_at desc limit 1)"
                + " from spans s where s.file_id = ? and not (s.id = any (?))"
                + " order by abs(s.start_line - ?), s.start_line limit ?")) {
      ps.setLong(1, fileId);
      ps.setArray(2, c.createArrayOf("bigint", exclude.toArray()));
      ps.setInt(3, nearLine);
      ps.setInt(4, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(
              new Neighbour(
                  rs.getString(1),
                  SpanKind.fromDb(rs.getString(2)),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
    }
    return result;
  }

  /** A member of a class span that is a span of its own. */
  public record Member(String symbol, int startLine, int endLine) {}

  /**
   * For a query over {@code spans s}: a lateral join {@code mem} whose three arrays are the members
   * of a class span in line order (symbols, start lines, end lines), null for other spans; read
   * with {@link #members(ResultSet, int)}: the spans whose parent is the class.
   */
  static final String MEMBERS_OF_S =
      " left join lateral (select array_agg(m.symbol order by m.start_line) as symbols,"
          + " array_agg(m.start_line order by m.start_line) as starts,"
          + " array_agg(m.end_line order by m.start_line) as ends"
          + " from spans m where s.kind = 'class' and m.parent_id = s.id) mem on true";

  static final String MEMBERS_COLUMNS = "mem.symbols, mem.starts, mem.ends";

  /** The members read from {@link #MEMBERS_COLUMNS} starting at column {@code first}. */
  static List<Member> members(ResultSet rs, int first) throws SQLException {
    Array symbols = rs.getArray(first);
    if (symbols == null) {
      return List.of();
    }
    String[] names = (String[]) symbols.getArray();
    Integer[] starts = (Integer[]) rs.getArray(first + 1).getArray();
    Integer[] ends = (Integer[]) rs.getArray(first + 2).getArray();
    List<Member> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      out.add(new Member(names[i], starts[i], ends[i]));
    }
    return out;
  }

  /** A span that a name may refer to, for resolving the names a note mentions. */
  public record NameCandidate(long id, long fileId, String name, String symbol) {}

  /** Spans of the repository whose symbol or name is {@code name}, at most 200, in line order. */
  public static List<NameCandidate> byName(Connection c, long repoId, String name)
      throws SQLException {
    List<NameCandidate> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, file_id, name, symbol from spans"
                + " where repo_id = ? and (symbol = ? or name = ?)"
                + " order by start_line, id limit 200")) {
      ps.setLong(1, repoId);
      ps.setString(2, name);
      ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new NameCandidate(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  /** The innermost span of the file around {@code line}, if any. */
  public static List<Span> innermostAt(Connection c, long fileId, int line) throws SQLException {
    return select(
        c,
        " where s.file_id = ? and s.start_line <= ? and s.end_line >= ?"
            + " order by (s.end_line - s.start_line), s.start_line desc limit 1",
        fileId,
        line,
        line);
  }

  /** The span with this id: one element, or none when it does not exist. */
  public static List<Span> byId(Connection c, long spanId) throws SQLException {
    return select(c, " where s.id = ?", spanId);
  }

  /** The file's spans in line order, at most {@code limit}. */
  public static List<Span> ofFile(Connection c, long fileId, int limit) throws SQLException {
    return select(c, " where s.file_id = ? order by s.start_line, s.id limit ?", fileId, limit);
  }

  /** The repository's spans whose qualified symbol is {@code symbol}. */
  public static List<Span> bySymbol(Connection c, long repoId, String symbol) throws SQLException {
    return select(
        c, " where s.repo_id = ? and s.symbol = ? order by f.path, s.start_line", repoId, symbol);
  }

  /** The repository's spans whose bare name is {@code name}. */
  public static List<Span> byBareName(Connection c, long repoId, String name) throws SQLException {
    return select(
        c, " where s.repo_id = ? and s.name = ? order by f.path, s.start_line", repoId, name);
  }

  private static List<Span> select(Connection c, String where, Object... params)
      throws SQLException {
    List<Span> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + SPAN_COLUMNS + " from spans s join files f on f.id = s.file_id" + where)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(span(rs));
        }
      }
    }
    return out;
  }

  /** A span as {@code codegloss spans} lists it. */
  public record Listed(
      long id,
      String path,
      String language,
      String symbol,
      String kind,
      int startLine,
      int endLine,
      int tokenEstimate,
      String hash,
      String state) {}

  /** The spans of the repository, or of one of its files, in file and line order. */
  public static List<Listed> list(Connection c, long repoId, @Nullable String path)
      throws SQLException {
    List<Listed> spans = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.id, f.path, s.language, s.symbol, s.kind, s.start_line, s.end_line,"
                + " s.token_estimate, s.content_hash, st.state from spans s"
                + " join files f on f.id = s.file_id join span_state st on st.span_id = s.id"
                + " where s.repo_id = ?"
                + (path == null ? "" : " and f.path = ?")
                + " order by f.path, s.start_line, s.end_line desc, s.id")) {
      ps.setLong(1, repoId);
      if (path != null) {
        ps.setString(2, path);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spans.add(
              new Listed(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getInt(6),
                  rs.getInt(7),
                  rs.getInt(8),
                  rs.getString(9),
                  rs.getString(10)));
        }
      }
    }
    return spans;
  }

  // ------------------------------------------------------------------ the indexer's writes

  /** A span row as the indexer's diff needs it (everything but the code). */
  public record Stored(
      long id,
      long fileId,
      String kind,
      String nodeType,
      String name,
      String symbol,
      @Nullable Long parentId,
      int startLine,
      int endLine,
      int startByte,
      int endByte,
      @Nullable String signature,
      @Nullable String docHint,
      String contentHash) {}

  private static final String STORED_COLUMNS =
      "id, file_id, kind, node_type, name, symbol, parent_id, start_line, end_line, start_byte,"
          + " end_byte, signature, doc_hint, content_hash";

  /** The spans of the files, in byte order. */
  public static List<Stored> ofFiles(Connection c, Collection<Long> fileIds) throws SQLException {
    List<Stored> spans = new ArrayList<>();
    if (fileIds.isEmpty()) {
      return spans;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + STORED_COLUMNS
                + " from spans where file_id = any(?) order by start_byte")) {
      ps.setArray(1, ids(c, fileIds));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long parent = rs.getLong(7);
          Long parentId = rs.wasNull() ? null : parent;
          spans.add(
              new Stored(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  parentId,
                  rs.getInt(8),
                  rs.getInt(9),
                  rs.getInt(10),
                  rs.getInt(11),
                  rs.getString(12),
                  rs.getString(13),
                  rs.getString(14)));
        }
      }
    }
    return spans;
  }

  /**
   * A span row to write.
   *
   * @param code null on an update that keeps the stored code (the code did not change)
   * @param tokenEstimate null on an update that keeps the stored estimate
   */
  public record Write(
      long id,
      long fileId,
      String language,
      SpanKind kind,
      String nodeType,
      String name,
      String symbol,
      @Nullable Long parentId,
      int startLine,
      int endLine,
      int startByte,
      int endByte,
      @Nullable String signature,
      @Nullable String docHint,
      @Nullable String code,
      String contentHash,
      @Nullable Integer tokenEstimate) {}

  /** Ids for new spans, taken before inserting so that children can name their parents. */
  public static long[] allocateIds(Connection c, int n) throws SQLException {
    long[] out = new long[n];
    if (n == 0) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement("select nextval('spans_id_seq') from generate_series(1, ?)")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < n && rs.next(); i++) {
          out[i] = rs.getLong(1);
        }
      }
    }
    return out;
  }

  /** Inserts new spans in the given order (parents before their children). */
  public static void insert(Connection c, long repoId, List<Write> spans) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into spans (id, repo_id, file_id, language, kind, node_type, name, symbol,"
                + " parent_id, start_line, end_line, start_byte, end_byte, signature, doc_hint,"
                + " code, content_hash, token_estimate)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Write w : spans) {
        int p = 1;
        ps.setLong(p++, w.id());
        ps.setLong(p++, repoId);
        ps.setLong(p++, w.fileId());
        ps.setString(p++, w.language());
        p = bindShape(ps, p, w);
        ps.setString(p++, w.code());
        ps.setString(p++, w.contentHash());
        ps.setInt(p, w.tokenEstimate() == null ? 0 : w.tokenEstimate());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Updates existing spans: position, names, parent, and the code when it changed. */
  public static void update(Connection c, List<Write> spans) throws SQLException {
    if (spans.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "update spans set file_id = ?, kind = ?, node_type = ?, name = ?, symbol = ?,"
                + " parent_id = ?, start_line = ?, end_line = ?, start_byte = ?, end_byte = ?,"
                + " signature = ?, doc_hint = ?, code = coalesce(?, code),"
                + " content_hash = ?, token_estimate = coalesce(?, token_estimate),"
                + " language = ?, updated_at = now() where id = ?")) {
      for (Write w : spans) {
        int p = 1;
        ps.setLong(p++, w.fileId());
        p = bindShape(ps, p, w);
        ps.setString(p++, w.code());
        ps.setString(p++, w.contentHash());
        if (w.tokenEstimate() == null) {
          ps.setNull(p++, Types.INTEGER);
        } else {
          ps.setInt(p++, w.tokenEstimate());
        }
        ps.setString(p++, w.language());
        ps.setLong(p, w.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Binds kind, node type, name, symbol, parent, lines, bytes, signature and doc hint from {@code
   * p} on, in that order (insert and update list these columns alike); returns the next index.
   */
  private static int bindShape(PreparedStatement ps, int p, Write w) throws SQLException {
    ps.setString(p++, w.kind().dbName());
    ps.setString(p++, w.nodeType());
    ps.setString(p++, w.name());
    ps.setString(p++, w.symbol());
    setNullableLong(ps, p++, w.parentId());
    ps.setInt(p++, w.startLine());
    ps.setInt(p++, w.endLine());
    ps.setInt(p++, w.startByte());
    ps.setInt(p++, w.endByte());
    ps.setString(p++, w.signature());
    ps.setString(p++, w.docHint());
    return p;
  }

  public static void delete(Connection c, Collection<Long> spanIds) throws SQLException {
    if (spanIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("delete from spans where id = any(?)")) {
      ps.setArray(1, ids(c, spanIds));
      ps.executeUpdate();
    }
  }

  /**
   * Deletes the spans of the files; everything hanging off them goes by cascade.
   *
   * @return how many spans went
   */
  public static int deleteOfFiles(Connection c, Collection<Long> fileIds) throws SQLException {
    if (fileIds.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "with gone as (delete from spans where file_id = any(?) returning 1)"
                + " select count(*) from gone")) {
      ps.setArray(1, ids(c, fileIds));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  public static long count(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select count(*) from spans where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Array ids(Connection c, Collection<Long> ids) throws SQLException {
    return c.createArrayOf("bigint", ids.toArray());
  }

  private static void setNullableLong(PreparedStatement ps, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  /** A span's code and place, for analyses that read the whole index (the benchmark). */
  public record Code(
      long id,
      long fileId,
      @Nullable Long parentId,
      String kind,
      String name,
      String language,
      String path,
      String symbol,
      int startLine,
      int endLine,
      String code) {}

  /** Every span of the database, by file and line. */
  public static List<Code> allCode(Connection c) throws SQLException {
    List<Code> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select s.id, s.file_id, s.parent_id, s.kind, s.name, s.language, f.path,"
                    + " s.symbol, s.start_line, s.end_line, s.code"
                    + " from spans s join files f on f.id = s.file_id"
                    + " order by f.path, s.start_line, s.end_line desc, s.symbol");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Code(
                rs.getLong(1),
                rs.getLong(2),
                (Long) rs.getObject(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getInt(9),
                rs.getInt(10),
                rs.getString(11)));
      }
    }
    return out;
  }
}
