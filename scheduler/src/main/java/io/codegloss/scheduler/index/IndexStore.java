package io.codegloss.scheduler.index;

import io.codegloss.scheduler.index.SpanDiff.Action;
import io.codegloss.scheduler.index.SpanDiff.Match;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The indexer's SQL. Every method runs on a connection the caller owns, inside the caller's
 * transaction: one file's row and all of its spans are written in one transaction, so an
 * interrupted run leaves either the old or the new state of each file.
 */
final class IndexStore {

  /** A files row as the skip check needs it. */
  record StoredFile(
      long id, String path, String language, long sizeBytes, long mtimeMs, String contentHash) {}

  /** What writing one file did to its spans. */
  record SpanCounts(int added, int changed, int moved, int removed) {}

  /** The columns of a files row about to be written. */
  record FileRow(
      String path,
      String language,
      long sizeBytes,
      long mtimeMs,
      String contentHash,
      int lineCount,
      boolean parseErrors) {}

  private IndexStore() {}

  static long upsertRepository(Connection c, String rootPath, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into repositories (root_path, name) values (?, ?)"
                + " on conflict (root_path) do update set name = excluded.name returning id")) {
      ps.setString(1, rootPath);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Map<String, StoredFile> loadFiles(Connection c, long repoId) throws SQLException {
    Map<String, StoredFile> files = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, path, language, size_bytes, mtime_ms, content_hash from files"
                + " where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StoredFile f =
              new StoredFile(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getString(6));
          files.put(f.path(), f);
        }
      }
    }
    return files;
  }

  static Map<String, SkippedFile> loadSkipped(Connection c, long repoId) throws SQLException {
    Map<String, SkippedFile> skipped = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("select path, reason, detail from skipped_files where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          skipped.put(
              rs.getString(1), new SkippedFile(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return skipped;
  }

  private static final String SPAN_COLUMNS =
      "id, file_id, kind, node_type, name, symbol, parent_id, start_line, end_line, start_byte,"
          + " end_byte, signature, doc_hint, content_hash";

  static List<StoredSpan> loadSpansOfFiles(Connection c, Collection<Long> fileIds)
      throws SQLException {
    List<StoredSpan> spans = new ArrayList<>();
    if (fileIds.isEmpty()) {
      return spans;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select " + SPAN_COLUMNS + " from spans where file_id = any(?) order by start_byte")) {
      ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spans.add(readSpan(rs));
        }
      }
    }
    return spans;
  }

  private static StoredSpan readSpan(ResultSet rs) throws SQLException {
    long parent = rs.getLong(7);
    Long parentId = rs.wasNull() ? null : parent;
    return new StoredSpan(
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
        rs.getString(14));
  }

  /**
   * Commits of the index are cheap to redo (the next run re-reads a file whose row is missing or
   * stale), so they need not wait for the disk: a crash can lose the last few files, never mix
   * them.
   */
  static void relaxDurability(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("set local synchronous_commit = off");
    }
  }

  static long upsertFile(Connection c, long repoId, FileRow f) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into files (repo_id, path, language, size_bytes, mtime_ms, content_hash,"
                + " line_count, parse_errors, indexed_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())"
                + " on conflict (repo_id, path) do update set language = excluded.language,"
                + " size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms,"
                + " content_hash = excluded.content_hash, line_count = excluded.line_count,"
                + " parse_errors = excluded.parse_errors, indexed_at = now() returning id")) {
      ps.setLong(1, repoId);
      ps.setString(2, f.path());
      ps.setString(3, f.language());
      ps.setLong(4, f.sizeBytes());
      ps.setLong(5, f.mtimeMs());
      ps.setString(6, f.contentHash());
      ps.setInt(7, f.lineCount());
      ps.setBoolean(8, f.parseErrors());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** For a file whose bytes did not change although its size or mtime did. */
  static void touchFile(Connection c, long fileId, long sizeBytes, long mtimeMs)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update files set size_bytes = ?, mtime_ms = ? where id = ?")) {
      ps.setLong(1, sizeBytes);
      ps.setLong(2, mtimeMs);
      ps.setLong(3, fileId);
      ps.executeUpdate();
    }
  }

  /**
   * Brings the spans of one file in line with what the parser found now. Must run in the same
   * transaction as {@link #upsertFile}.
   */
  static SpanCounts writeSpans(
      Connection c, long repoId, long fileId, List<ExtractedSpan> found, SpanPool pool)
      throws SQLException {
    List<StoredSpan> stored = loadSpansOfFiles(c, List.of(fileId));
    SpanDiff.Result diff = SpanDiff.diff(stored, found, pool);
    List<Match> matches = diff.matches();

    long[] ids = new long[matches.size()];
    List<Integer> added = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      if (m.action() == Action.ADD) {
        added.add(i);
      } else {
        ids[i] = Objects.requireNonNull(m.old()).id();
      }
    }
    long[] fresh = allocateSpanIds(c, added.size());
    for (int k = 0; k < added.size(); k++) {
      ids[added.get(k)] = fresh[k];
    }

    if (!diff.removed().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("delete from spans where id = any(?)")) {
        ps.setArray(1, idArray(c, diff.removed().stream().map(StoredSpan::id).toList()));
        ps.executeUpdate();
      }
    }

    if (!added.isEmpty()) {
      insertSpans(c, repoId, fileId, matches, ids, parentsFirst(matches, added));
    }

    int changed = 0;
    int moved = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "update spans set file_id = ?, kind = ?, node_type = ?, name = ?, symbol = ?,"
                + " parent_id = ?, start_line = ?, end_line = ?, start_byte = ?, end_byte = ?,"
                + " signature = ?, doc_hint = ?, code = coalesce(?, code),"
                + " content_hash = ?, token_estimate = coalesce(?, token_estimate),"
                + " language = ?, updated_at = now() where id = ?")) {
      int batched = 0;
      for (int i = 0; i < matches.size(); i++) {
        Match m = matches.get(i);
        if (m.action() == Action.ADD) {
          continue;
        }
        ExtractedSpan f = m.span();
        StoredSpan s = Objects.requireNonNull(m.old());
        Long parentId = f.parentIndex() < 0 ? null : ids[f.parentIndex()];
        boolean codeChanged = m.action() == Action.CHANGE;
        if (codeChanged) {
          changed++;
        } else if (SpanDiff.moved(m, fileId)) {
          moved++;
        }
        if (!codeChanged && !differs(s, f, fileId, parentId)) {
          continue;
        }
        int p = 1;
        ps.setLong(p++, fileId);
        ps.setString(p++, f.kind().dbName());
        ps.setString(p++, f.nodeType());
        ps.setString(p++, f.name());
        ps.setString(p++, f.symbol());
        setNullableLong(ps, p++, parentId);
        ps.setInt(p++, f.startLine());
        ps.setInt(p++, f.endLine());
        ps.setInt(p++, f.startByte());
        ps.setInt(p++, f.endByte());
        ps.setString(p++, f.signature());
        ps.setString(p++, f.docHint());
        ps.setString(p++, codeChanged ? f.code() : null);
        ps.setString(p++, f.contentHash());
        if (codeChanged) {
          ps.setInt(p++, f.tokenEstimate());
        } else {
          ps.setNull(p++, Types.INTEGER);
        }
        ps.setString(p++, f.language());
        ps.setLong(p, s.id());
        ps.addBatch();
        batched++;
      }
      if (batched > 0) {
        ps.executeBatch();
      }
    }
    return new SpanCounts(added.size(), changed, moved, diff.removed().size());
  }

  private static boolean differs(StoredSpan s, ExtractedSpan f, long fileId, Long parentId) {
    return s.fileId() != fileId
        || s.startLine() != f.startLine()
        || s.endLine() != f.endLine()
        || s.startByte() != f.startByte()
        || s.endByte() != f.endByte()
        || !Objects.equals(s.parentId(), parentId)
        || !s.symbol().equals(f.symbol())
        || !s.name().equals(f.name())
        || !s.kind().equals(f.kind().dbName())
        || !s.nodeType().equals(f.nodeType())
        || !Objects.equals(s.signature(), f.signature())
        || !Objects.equals(s.docHint(), f.docHint());
  }

  /**
   * New spans in an order where a parent is inserted before its children, so that parent_id's
   * foreign key holds at every statement (a Go method can precede its struct in the file).
   */
  private static List<Integer> parentsFirst(List<Match> matches, List<Integer> added) {
    List<Integer> order = new ArrayList<>(added.size());
    boolean[] placed = new boolean[matches.size()];
    boolean[] isAdded = new boolean[matches.size()];
    for (int i : added) {
      isAdded[i] = true;
    }
    for (int i : added) {
      place(i, matches, isAdded, placed, order, 0);
    }
    return order;
  }

  private static void place(
      int i, List<Match> matches, boolean[] isAdded, boolean[] placed, List<Integer> order, int d) {
    if (placed[i]) {
      return;
    }
    int parent = matches.get(i).span().parentIndex();
    if (parent >= 0 && isAdded[parent] && !placed[parent] && d < 256) {
      place(parent, matches, isAdded, placed, order, d + 1);
    }
    placed[i] = true;
    order.add(i);
  }

  private static void insertSpans(
      Connection c, long repoId, long fileId, List<Match> matches, long[] ids, List<Integer> order)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into spans (id, repo_id, file_id, language, kind, node_type, name, symbol,"
                + " parent_id, start_line, end_line, start_byte, end_byte, signature, doc_hint,"
                + " code, content_hash, token_estimate)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i : order) {
        ExtractedSpan f = matches.get(i).span();
        int p = 1;
        ps.setLong(p++, ids[i]);
        ps.setLong(p++, repoId);
        ps.setLong(p++, fileId);
        ps.setString(p++, f.language());
        ps.setString(p++, f.kind().dbName());
        ps.setString(p++, f.nodeType());
        ps.setString(p++, f.name());
        ps.setString(p++, f.symbol());
        setNullableLong(ps, p++, f.parentIndex() < 0 ? null : ids[f.parentIndex()]);
        ps.setInt(p++, f.startLine());
        ps.setInt(p++, f.endLine());
        ps.setInt(p++, f.startByte());
        ps.setInt(p++, f.endByte());
        ps.setString(p++, f.signature());
        ps.setString(p++, f.docHint());
        ps.setString(p++, f.code());
        ps.setString(p++, f.contentHash());
        ps.setInt(p, f.tokenEstimate());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static long[] allocateSpanIds(Connection c, int n) throws SQLException {
    long[] ids = new long[n];
    if (n == 0) {
      return ids;
    }
    try (PreparedStatement ps =
        c.prepareStatement("select nextval('spans_id_seq') from generate_series(1, ?)")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < n && rs.next(); i++) {
          ids[i] = rs.getLong(1);
        }
      }
    }
    return ids;
  }

  /**
   * Deletes file rows; their spans and everything hanging off them go by cascade.
   *
   * @return the number of spans that went with them
   */
  static int deleteFiles(Connection c, Collection<Long> fileIds) throws SQLException {
    if (fileIds.isEmpty()) {
      return 0;
    }
    int spans;
    try (PreparedStatement ps =
        c.prepareStatement(
            "with gone as (delete from spans where file_id = any(?) returning 1)"
                + " select count(*) from gone")) {
      ps.setArray(1, idArray(c, fileIds));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        spans = rs.getInt(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("delete from files where id = any(?)")) {
      ps.setArray(1, idArray(c, fileIds));
      ps.executeUpdate();
    }
    return spans;
  }

  /** Makes skipped_files of the repository exactly {@code now}, touching only what differs. */
  static void syncSkipped(
      Connection c, long repoId, Map<String, SkippedFile> before, Map<String, SkippedFile> now)
      throws SQLException {
    List<String> gone = new ArrayList<>();
    for (String path : before.keySet()) {
      if (!now.containsKey(path)) {
        gone.add(path);
      }
    }
    if (!gone.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement("delete from skipped_files where repo_id = ? and path = any(?)")) {
        ps.setLong(1, repoId);
        ps.setArray(2, c.createArrayOf("text", gone.toArray()));
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into skipped_files (repo_id, path, reason, detail) values (?, ?, ?, ?)"
                + " on conflict (repo_id, path) do update set reason = excluded.reason,"
                + " detail = excluded.detail, seen_at = now()")) {
      int batched = 0;
      for (SkippedFile s : now.values()) {
        if (s.equals(before.get(s.path()))) {
          continue;
        }
        ps.setLong(1, repoId);
        ps.setString(2, s.path());
        ps.setString(3, s.reason());
        ps.setString(4, s.detail());
        ps.addBatch();
        batched++;
      }
      if (batched > 0) {
        ps.executeBatch();
      }
    }
  }

  static long finishRun(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update repositories set last_indexed_at = now() where id = ?")) {
      ps.setLong(1, repoId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("select count(*) from spans where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Array idArray(Connection c, Collection<Long> ids) throws SQLException {
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
}
