package io.codegloss.scheduler.plan;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Writes the rows the planner reads, the way the indexer, enqueuer and worker would. */
final class SpanRows {

  private final Database db;

  SpanRows(Database db) {
    this.db = db;
  }

  long repository(String root) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into repositories (root_path, name) values (?, ?) returning id")) {
            ps.setString(1, root);
            ps.setString(2, root.substring(root.lastIndexOf('/') + 1));
            return one(ps);
          }
        });
  }

  void bumpGeneration(long repoId) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update repositories set generation = generation + 1 where id = ?")) {
            ps.setLong(1, repoId);
            ps.executeUpdate();
          }
        });
  }

  long file(long repoId, String path, String language) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into files (repo_id, path, language, size_bytes, mtime_ms,"
                      + " content_hash, line_count) values (?, ?, ?, 100, 0, 'f', 1000)"
                      + " returning id")) {
            ps.setLong(1, repoId);
            ps.setString(2, path);
            ps.setString(3, language);
            return one(ps);
          }
        });
  }

  long span(
      long repoId,
      long fileId,
      String kind,
      String symbol,
      @Nullable Long parentId,
      int startLine,
      int endLine,
      int tokens,
      @Nullable String signature) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into spans (repo_id, file_id, language, kind, node_type, name, symbol,"
                      + " parent_id, start_line, end_line, start_byte, end_byte, signature, code,"
                      + " content_hash, token_estimate)"
                      + " select ?, ?, f.language, ?, 'node', ?, ?, ?, ?, ?, 0, 10, ?, ?, ?, ?"
                      + " from files f where f.id = ? returning id")) {
            String name = symbol.substring(symbol.lastIndexOf('.') + 1);
            ps.setLong(1, repoId);
            ps.setLong(2, fileId);
            ps.setString(3, kind);
            ps.setString(4, name);
            ps.setString(5, symbol);
            if (parentId == null) {
              ps.setNull(6, java.sql.Types.BIGINT);
            } else {
              ps.setLong(6, parentId);
            }
            ps.setInt(7, startLine);
            ps.setInt(8, endLine);
            ps.setString(9, signature);
            ps.setString(10, "def " + name + "():\n    pass\n");
            ps.setString(11, "hash-" + symbol + "-v1");
            ps.setInt(12, tokens);
            ps.setLong(13, fileId);
            return one(ps);
          }
        });
  }

  /** Simulates an edit: the span's code, and so its hash, changes. */
  void edit(long spanId) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update spans set content_hash = content_hash || '-edited' where id = ?")) {
            ps.setLong(1, spanId);
            ps.executeUpdate();
          }
        });
  }

  /** An enrichment of the span's current code (or of {@code hash} when given). */
  void enrichment(
      long spanId,
      String model,
      int promptVersion,
      int generation,
      String summary,
      @Nullable String hash) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into enrichments (span_id, model, prompt_version, span_hash,"
                      + " schema_version, generation, backend, mode, summary, payload, worker)"
                      + " select s.id, ?, ?, coalesce(?, s.content_hash), 1, ?, 'test', 'single',"
                      + " ?, '{}'::jsonb, 'w1' from spans s where s.id = ?")) {
            ps.setString(1, model);
            ps.setInt(2, promptVersion);
            ps.setString(3, hash);
            ps.setInt(4, generation);
            ps.setString(5, summary);
            ps.setLong(6, spanId);
            ps.executeUpdate();
          }
        });
  }

  /** A job holding the span with its current hash. */
  UUID job(long repoId, String status, long spanId) {
    UUID id = UUID.randomUUID();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into jobs (id, repo_id, kind, tokens, span_tokens, status)"
                      + " values (?, ?, 'single', 1000, 100, ?)")) {
            ps.setObject(1, id);
            ps.setLong(2, repoId);
            ps.setString(3, status);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into job_spans (job_id, span_id, span_hash, ordinal)"
                      + " select ?, s.id, s.content_hash, 1 from spans s where s.id = ?")) {
            ps.setObject(1, id);
            ps.setLong(2, spanId);
            ps.executeUpdate();
          }
        });
    return id;
  }

  void failure(long spanId, boolean permanent, int nextAttemptInSeconds) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into span_failures (span_id, span_hash, attempts, last_error,"
                      + " next_attempt_at, permanent)"
                      + " select s.id, s.content_hash, 1, 'invalid JSON',"
                      + " now() + make_interval(secs => ?), ? from spans s where s.id = ?")) {
            ps.setInt(1, nextAttemptInSeconds);
            ps.setBoolean(2, permanent);
            ps.setLong(3, spanId);
            ps.executeUpdate();
          }
        });
  }

  private static long one(PreparedStatement ps) throws java.sql.SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
