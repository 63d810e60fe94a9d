package io.codegloss.scheduler.plan;

import java.util.Locale;

/**
 * Why the planner closed a batch, as printed by {@code plan --json} and stored in {@code
 * jobs.reason}. Checked in this order for the span that would have joined the batch next (the next
 * pending span of the same file, same kind and, for methods, same class).
 */
public enum CloseReason {
  /**
   * Never produced by {@link BatchPlanner}: batches never cross files, and each file is planned on
   * its own so that its batches do not depend on which other files are pending. A batch that takes
   * its file's last pending span closes with {@link #END_OF_FILE}. Kept so that every value of the
   * wire contract has a name.
   */
  OTHER_FILE,
  /**
   * No further pending span of the batch's kind (or, for methods, of its class) follows in the
   * file, but spans of another kind or class do.
   */
  OTHER_KIND,
  /**
   * The next span of the same kind starts {@code RAG_BATCH_MAX_LINE_GAP} or more lines after the
   * batch's last span ends ({@code next.startLine - last.endLine >= max gap}).
   */
  LINE_GAP,
  /** Adding the next span would bring the batch's span tokens to {@code RAG_BATCH_MAX_TOKENS}. */
  TOKEN_BUDGET,
  /**
   * Either this batch is one large span (see {@link PlanSettings#isLarge}), or the next span of the
   * same kind is large and has to go alone.
   */
  LARGE_SPAN,
  /** No pending span follows the batch's last span in its file. */
  END_OF_FILE,
  /**
   * The span is enriched alone because the batch it would have formed had fewer than {@code
   * RAG_BATCH_MIN_SIZE} spans.
   */
  BELOW_MIN_SIZE,
  /** {@code RAG_BATCH_ENRICHMENT=off}: every span is enriched alone. */
  BATCHING_OFF;

  /** The snake_case name used in JSON and in the database. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CloseReason fromJson(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
