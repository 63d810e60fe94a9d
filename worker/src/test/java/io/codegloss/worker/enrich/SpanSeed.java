package io.codegloss.worker.enrich;

import io.codegloss.core.db.Database;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/** Inserts repositories, files and spans the way the indexer stores them. */
final class SpanSeed {

  private final Database db;

  SpanSeed(Database db) {
    this.db = db;
  }

  long repo(String root) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into repositories (root_path, name) values (?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, root);
            ps.setString(2, root.substring(root.lastIndexOf('/') + 1));
            ps.executeUpdate();
            return key(ps);
          }
        });
  }

  long file(long repoId, String path) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into files (repo_id, path, language, size_bytes, mtime_ms, content_hash,"
                      + " line_count) values (?, ?, 'python', 100, 0, ?, 100)",
                  Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, repoId);
            ps.setString(2, path);
            ps.setString(3, "file-" + path);
            ps.executeUpdate();
            return key(ps);
          }
        });
  }

  Span span(long repoId, long fileId, String path, String symbol, int start, int end) {
    String name = symbol.substring(symbol.lastIndexOf('.') + 1);
    String code = "def " + name + "(self):\n" + "    pass\n".repeat(Math.max(1, end - start));
    String hash = "h-" + fileId + "-" + symbol + "-" + start;
    long id =
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "insert into spans (repo_id, file_id, language, kind, node_type, name, symbol,"
                          + " start_line, end_line, start_byte, end_byte, signature, code,"
                          + " content_hash, token_estimate)"
                          + " values (?, ?, 'python', 'method', 'function_definition', ?, ?, ?, ?,"
                          + " 0, ?, ?, ?, ?, ?)",
                      Statement.RETURN_GENERATED_KEYS)) {
                int i = 1;
                ps.setLong(i++, repoId);
                ps.setLong(i++, fileId);
                ps.setString(i++, name);
                ps.setString(i++, symbol);
                ps.setInt(i++, start);
                ps.setInt(i++, end);
                ps.setInt(i++, code.length());
                ps.setString(i++, "def " + name + "(self):");
                ps.setString(i++, code);
                ps.setString(i++, hash);
                ps.setInt(i, code.length() / 4);
                ps.executeUpdate();
                return key(ps);
              }
            });
    return new Span(
        id,
        repoId,
        fileId,
        path,
        "python",
        SpanKind.METHOD,
        name,
        symbol,
        null,
        start,
        end,
        0,
        code.length(),
        "def " + name + "(self):",
        null,
        code,
        hash,
        code.length() / 4);
  }

  void changeCode(long spanId, String newHash) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("update spans set content_hash = ? where id = ?")) {
            ps.setString(1, newHash);
            ps.setLong(2, spanId);
            ps.executeUpdate();
          }
        });
  }

  private static long key(PreparedStatement ps) throws java.sql.SQLException {
    try (ResultSet rs = ps.getGeneratedKeys()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
