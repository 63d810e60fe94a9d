package io.codegloss.dashboard;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes the rows a running system would have written (scheduler, workers), straight into the
 * schema, so that dashboard tests can show a queue, workers and LLM calls without running them.
 * Times are given as "seconds ago" against the database clock.
 */
public final class ClusterState {

  private final Database db;

  public ClusterState(Database db) {
    this.db = db;
  }

  public long repository(String name) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into repositories (root_path, name) values (?, ?) returning id")) {
            ps.setString(1, "/srv/" + name);
            ps.setString(2, name);
            return single(ps);
          }
        });
  }

  public long file(long repoId, String path) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into files (repo_id, path, language, size_bytes, mtime_ms, content_hash,
                                     line_count)
                  values (?, ?, 'python', 1000, 0, ?, 100) returning id
                  """)) {
            ps.setLong(1, repoId);
            ps.setString(2, path);
            ps.setString(3, "file-" + UUID.randomUUID());
            return single(ps);
          }
        });
  }

  /** A function span of 10 lines starting at {@code startLine}. */
  public long span(long repoId, long fileId, String symbol, int startLine) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into spans (repo_id, file_id, language, kind, node_type, name, symbol,
                                     start_line, end_line, start_byte, end_byte, code,
                                     content_hash, token_estimate)
                  values (?, ?, 'python', 'function', 'function_definition', ?, ?, ?, ?, 0, 100,
                          'def f(): pass', ?, 40) returning id
                  """)) {
            ps.setLong(1, repoId);
            ps.setLong(2, fileId);
            ps.setString(3, symbol.substring(symbol.lastIndexOf('.') + 1));
            ps.setString(4, symbol);
            ps.setInt(5, startLine);
            ps.setInt(6, startLine + 9);
            ps.setString(7, "span-" + UUID.randomUUID());
            return single(ps);
          }
        });
  }

  /** Gives the span an enrichment that matches its current code and generation. */
  public void enrich(long spanId, String mode) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into enrichments (span_id, model, prompt_version, span_hash,
                                           schema_version, generation, backend, mode, summary,
                                           payload, worker)
                  select s.id, 'gemma3-270m', 1, s.content_hash, 1, r.generation, 'llama', ?,
                         'does things', '{}'::jsonb, 'w1'
                    from spans s join repositories r on r.id = s.repo_id where s.id = ?
                  """)) {
            ps.setString(1, mode);
            ps.setLong(2, spanId);
            ps.executeUpdate();
          }
        });
  }

  /** Changes the span's code so that its enrichment is no longer current. */
  public void editSpan(long spanId) {
    update("update spans set content_hash = 'edited-' || id where id = ?", spanId);
  }

  public UUID job(long repoId, String kind, String status, int tokens) {
    UUID id = UUID.randomUUID();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into jobs (id, repo_id, kind, tokens, span_tokens, status)
                  values (?, ?, ?, ?, ?, ?)
                  """)) {
            ps.setObject(1, id);
            ps.setLong(2, repoId);
            ps.setString(3, kind);
            ps.setInt(4, tokens);
            ps.setInt(5, tokens / 2);
            ps.setString(6, status);
            ps.executeUpdate();
          }
        });
    return id;
  }

  public void failJob(UUID jobId, String error) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update jobs set status = 'failed', last_error = ?, attempts = 3 where id = ?")) {
            ps.setString(1, error);
            ps.setObject(2, jobId);
            ps.executeUpdate();
          }
        });
  }

  public void assign(UUID jobId, String worker) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update jobs set status = 'processing', worker = ? where id = ?")) {
            ps.setString(1, worker);
            ps.setObject(2, jobId);
            ps.executeUpdate();
          }
        });
  }

  public void jobSpan(UUID jobId, long spanId, int ordinal) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into job_spans (job_id, span_id, span_hash, ordinal)
                  select ?, id, content_hash, ? from spans where id = ?
                  """)) {
            ps.setObject(1, jobId);
            ps.setInt(2, ordinal);
            ps.setLong(3, spanId);
            ps.executeUpdate();
          }
        });
  }

  public void worker(
      String name, int maxTokens, int concurrency, String backend, String model, int currentJobs) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into workers (name, host, max_tokens, concurrency, backend, model, version,
                                       current_jobs)
                  values (?, ?, ?, ?, ?, ?, '0.1.0', ?)
                  """)) {
            ps.setString(1, name);
            ps.setString(2, name + ".lan");
            ps.setInt(3, maxTokens);
            ps.setInt(4, concurrency);
            ps.setString(5, backend);
            ps.setString(6, model);
            ps.setInt(7, currentJobs);
            ps.executeUpdate();
          }
        });
  }

  /** Sets the worker's last heartbeat to {@code secondsAgo} before the database's now. */
  public void heartbeat(String name, int secondsAgo) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update workers set last_heartbeat = now() - make_interval(secs => ?)"
                      + " where name = ?")) {
            ps.setInt(1, secondsAgo);
            ps.setString(2, name);
            ps.executeUpdate();
          }
        });
  }

  public void workerState(String name, String state) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("update workers set state = ? where name = ?")) {
            ps.setString(1, state);
            ps.setString(2, name);
            ps.executeUpdate();
          }
        });
  }

  /** One LLM call finished {@code secondsAgo} seconds ago. */
  public void llmCall(
      @Nullable UUID jobId,
      String worker,
      String model,
      String mode,
      int spanCount,
      int itemsValid,
      int promptTokens,
      int completionTokens,
      long wallMs,
      String outcome,
      @Nullable String error,
      int secondsAgo) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into llm_calls (job_id, worker, backend, model, mode, span_count,
                                         items_valid, prompt_tokens, completion_tokens, wall_ms,
                                         outcome, error, created_at)
                  values (?, ?, 'llama', ?, ?, ?, ?, ?, ?, ?, ?, ?,
                          now() - make_interval(secs => ?))
                  """)) {
            ps.setObject(1, jobId);
            ps.setString(2, worker);
            ps.setString(3, model);
            ps.setString(4, mode);
            ps.setInt(5, spanCount);
            ps.setInt(6, itemsValid);
            ps.setInt(7, promptTokens);
            ps.setInt(8, completionTokens);
            ps.setLong(9, wallMs);
            ps.setString(10, outcome);
            ps.setString(11, error);
            ps.setInt(12, secondsAgo);
            ps.executeUpdate();
          }
        });
  }

  public void spanFailure(long spanId, int attempts, String error, boolean permanent) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  insert into span_failures (span_id, span_hash, attempts, last_error,
                                             next_attempt_at, permanent)
                  select id, content_hash, ?, ?, now() + interval '5 minutes', ? from spans
                   where id = ?
                  """)) {
            ps.setInt(1, attempts);
            ps.setString(2, error);
            ps.setBoolean(3, permanent);
            ps.setLong(4, spanId);
            ps.executeUpdate();
          }
        });
  }

  private void update(String sql, long id) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
          }
        });
  }

  private static long single(PreparedStatement ps) throws java.sql.SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
