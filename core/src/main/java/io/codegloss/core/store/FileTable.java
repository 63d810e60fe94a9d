package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code files} and {@code skipped_files}: the files the indexer stored and those it
 * deliberately left out, with the reason. Works on the caller's connection; the indexer writes one
 * file and all of its spans in one transaction.
 */
public final class FileTable {

  private FileTable() {}

  /** A files row as the skip check needs it. */
  public record Stored(
      long id, String path, String language, long sizeBytes, long mtimeMs, String contentHash) {}

  /** The columns of a files row about to be written. */
  public record Row(
      String path,
      String language,
      long sizeBytes,
      long mtimeMs,
      String contentHash,
      int lineCount,
      boolean parseErrors) {}

  /**
   * A file left out.
   *
   * @param reason a skip reason's database name
   * @param detail a short human explanation, never file content
   */
  public record Skipped(String path, String reason, @Nullable String detail) {}

  /** The repository's files by path. */
  public static Map<String, Stored> byPath(Connection c, long repoId) throws SQLException {
    Map<String, Stored> files = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id, path, language, size_bytes, mtime_ms, content_hash from files"
                + " where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Stored f =
              new Stored(
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

  /**
   * Commits of the index are cheap to redo (the next run re-reads a file whose row is missing or
   * stale), so they need not wait for the disk: a crash can lose the last few files, never mix
   * them.
   */
  public static void relaxDurability(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("set local synchronous_commit = off");
    }
  }

  public static long upsert(Connection c, long repoId, Row f) throws SQLException {
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
  public static void touch(Connection c, long fileId, long sizeBytes, long mtimeMs)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update files set size_bytes = ?, mtime_ms = ? where id = ?")) {
      ps.setLong(1, sizeBytes);
      ps.setLong(2, mtimeMs);
      ps.setLong(3, fileId);
      ps.executeUpdate();
    }
  }

  /** Deletes file rows; their spans must be gone first ({@link SpanTable#deleteOfFiles}). */
  public static void delete(Connection c, Collection<Long> fileIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("delete from files where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * The id of the repository's file at {@code path}, or at a unique path ending in {@code /path}
   * ("user.py" for "app/user.py" is what people type); null when there is none or several.
   */
  public static @Nullable Long idByPath(Connection c, long repoId, String path)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select id from files where repo_id = ? and path = ?")) {
      ps.setLong(1, repoId);
      ps.setString(2, path);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id from files where repo_id = ? and right(path, ?) = ? limit 2")) {
      ps.setLong(1, repoId);
      ps.setInt(2, path.length() + 1);
      ps.setString(3, "/" + path);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long id = rs.getLong(1);
          return rs.next() ? null : id;
        }
      }
    }
    return null;
  }

  /** The repository's files and skipped files. */
  public record Counts(long files, long skipped) {}

  public static Counts counts(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select (select count(*) from files where repo_id = ?),"
                + " (select count(*) from skipped_files where repo_id = ?)")) {
      ps.setLong(1, repoId);
      ps.setLong(2, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Counts(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  // ------------------------------------------------------------------ skipped_files

  public static Map<String, Skipped> skipped(Connection c, long repoId) throws SQLException {
    Map<String, Skipped> skipped = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("select path, reason, detail from skipped_files where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          skipped.put(
              rs.getString(1), new Skipped(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return skipped;
  }

  /** Makes skipped_files of the repository exactly {@code now}, touching only what differs. */
  public static void syncSkipped(
      Connection c, long repoId, Map<String, Skipped> before, Map<String, Skipped> now)
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
      for (Skipped s : now.values()) {
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
}
