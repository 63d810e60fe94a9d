package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import io.codegloss.testing.Rows;
import io.codegloss.testing.Seed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers of the database tests: a repository on disk and looks into the tables. */
final class IndexFixture {

  /** One row of spans, as the tests compare them. */
  record Row(
      long id,
      String path,
      String symbol,
      String kind,
      int startLine,
      int endLine,
      int startByte,
      int endByte,
      String hash,
      Long parentId) {}

  final Database db;
  final Path repo;
  private long clock = 1_600_000_000_000L;

  IndexFixture(Database db, Path repo) {
    this.db = db;
    this.repo = repo;
  }

  IndexReport index() {
    return index(IndexSettings.defaults().withThreads(2));
  }

  IndexReport index(IndexSettings settings) {
    return new Indexer(db, settings).index(repo);
  }

  /** Writes a file with an mtime that moves forward on every write and is never "racy". */
  Path write(String path, String content) throws IOException {
    return writeBytes(path, content.getBytes(StandardCharsets.UTF_8));
  }

  Path writeBytes(String path, byte[] content) throws IOException {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    clock += 10_000;
    Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
    return p;
  }

  void delete(String path) throws IOException {
    Files.delete(repo.resolve(path));
  }

  void rename(String from, String to) throws IOException {
    Path target = repo.resolve(to);
    Files.createDirectories(target.getParent());
    Files.move(repo.resolve(from), target);
  }

  /** Spans by "path:symbol" (the first one when a symbol repeats). */
  Map<String, Row> spans() {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Row r : rows()) {
      rows.putIfAbsent(r.path() + ":" + r.symbol(), r);
    }
    return rows;
  }

  List<Row> rows() {
    return db.withConnection(
        c -> {
          List<Row> rows = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select s.id, f.path, s.symbol, s.kind, s.start_line, s.end_line,"
                          + " s.start_byte, s.end_byte, s.content_hash, s.parent_id from spans s"
                          + " join files f on f.id = s.file_id order by f.path, s.start_byte");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long parent = rs.getLong(10);
              rows.add(
                  new Row(
                      rs.getLong(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getInt(5),
                      rs.getInt(6),
                      rs.getInt(7),
                      rs.getInt(8),
                      rs.getString(9),
                      rs.wasNull() ? null : parent));
            }
          }
          return rows;
        });
  }

  void execute(String sql) {
    db.withConnection(
        c -> {
          try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
          }
          return null;
        });
  }

  long count(String sql, Object... args) {
    return Rows.count(db, sql, args);
  }

  String string(String sql, Object... args) {
    return Rows.string(db, sql, args);
  }

  /** Stores an enrichment for the span's current code, as a worker would. */
  void enrich(long spanId) {
    Seed.into(db.dataSource()).enrichment(spanId);
  }

  /** Whether the span has an enrichment for its current code. */
  boolean enrichedNow(long spanId) {
    return count(
            "select count(*) from enrichments e join spans s on s.id = e.span_id"
                + " where s.id = ? and e.span_hash = s.content_hash",
            spanId)
        > 0;
  }
}
