package io.codegloss.worker.job;

import io.codegloss.core.config.Settings;
import io.codegloss.core.store.CallOutcome;
import io.codegloss.core.store.LlmCallTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stops paying twice for a model that cannot answer batches. When the last {@code after} batch
 * answers of a model (every worker's, read from {@code llm_calls}) each had no valid item, every
 * one of their spans was asked again one at a time anyway; so batches for that model go straight to
 * single-span jobs until a probe batch is due, {@code probe} after the newest failed one. One good
 * batch answer (ok or partial) ends the pause. Calls that failed before an answer (timeouts,
 * overflow) say nothing about the model's batches and are ignored.
 *
 * <p>Settings: {@code CODEGLOSS_BATCH_PAUSE_AFTER} (3; 0 never pauses), {@code
 * CODEGLOSS_BATCH_PROBE_SECONDS} (600).
 *
 * @param after consecutive useless batch answers that pause batching; 0 disables the pause
 * @param probe how long after the newest useless answer one batch is tried again
 */
public record BatchPause(int after, Duration probe) {

  public static final String AFTER = "CODEGLOSS_BATCH_PAUSE_AFTER";
  public static final String PROBE_SECONDS = "CODEGLOSS_BATCH_PROBE_SECONDS";

  public static BatchPause fromSettings(Settings settings) {
    return new BatchPause(
        settings.intValue(AFTER, 3, 0, 1_000),
        Duration.ofSeconds(settings.intValue(PROBE_SECONDS, 600, 1, 7 * 86_400)));
  }

  /**
   * Why batches for {@code model} on {@code backend} are paused now, or empty when a batch should
   * be sent.
   */
  Optional<String> reason(Connection c, String backend, String model) throws SQLException {
    if (after == 0) {
      return Optional.empty();
    }
    int useless = 0;
    boolean waiting = false;
    Instant probeAt = null;
    for (LlmCallTable.BatchAnswer a :
        LlmCallTable.lastBatchAnswers(c, backend, model, probe.toSeconds(), after)) {
      if (a.outcome() != CallOutcome.INVALID) {
        return Optional.empty();
      }
      if (useless == 0) {
        probeAt = a.probeAt();
        waiting = a.waiting();
      }
      useless++;
    }
    if (useless < after || !waiting) {
      return Optional.empty();
    }
    return Optional.of(
        "batching paused for "
            + model
            + ": its last "
            + after
            + " batch answers had no valid item; the next batch is tried after "
            + probeAt);
  }
}
