package io.codegloss.worker.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Every LLM call, whatever its outcome, gets one row in {@code llm_calls}. */
final class LlmCalls {

  private LlmCalls() {}

  /**
   * @param outcome ok (every span valid), partial (some), invalid (none), error (no usable answer)
   */
  record Call(
      UUID jobId,
      String worker,
      String backend,
      String model,
      String mode,
      int spanCount,
      int itemsValid,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      long wallMs,
      String outcome,
      boolean firstTry,
      @Nullable String error) {}

  static void record(Connection c, Call call) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into llm_calls (job_id, worker, backend, model, mode, span_count, items_valid,"
                + " prompt_tokens, completion_tokens, wall_ms, outcome, first_try, error)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, call.jobId());
      ps.setString(2, call.worker());
      ps.setString(3, call.backend());
      ps.setString(4, call.model());
      ps.setString(5, call.mode());
      ps.setInt(6, call.spanCount());
      ps.setInt(7, call.itemsValid());
      ps.setObject(8, call.promptTokens());
      ps.setObject(9, call.completionTokens());
      ps.setLong(10, call.wallMs());
      ps.setString(11, call.outcome());
      ps.setBoolean(12, call.firstTry());
      ps.setString(13, truncate(call.error()));
      ps.executeUpdate();
    }
  }

  private static @Nullable String truncate(@Nullable String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
  }
}
