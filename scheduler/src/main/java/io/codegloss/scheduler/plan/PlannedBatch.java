package io.codegloss.scheduler.plan;

import io.codegloss.core.queue.JobSizing;
import java.util.List;
import java.util.Objects;

/**
 * One job the planner would enqueue: one or more spans of one file, in line order.
 *
 * @param spanTokens the sum of the spans' {@link PlanSpan#tokens()}
 * @param jobTokens {@link JobSizing#jobTokens(int, int)} of this batch
 * @param reason why the planner closed this batch
 */
public record PlannedBatch(
    long fileId,
    String path,
    List<PlanSpan> spans,
    int spanTokens,
    int jobTokens,
    CloseReason reason) {

  public PlannedBatch {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    spans = List.copyOf(spans);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one span");
    }
    for (PlanSpan s : spans) {
      if (s.fileId() != fileId) {
        throw new IllegalArgumentException(
            "span " + s.spanId() + " of file " + s.fileId() + " in a batch of file " + fileId);
      }
    }
  }

  /** A batch of {@code spans} (same file, line order) with its sizes computed. */
  public static PlannedBatch of(List<PlanSpan> spans, CloseReason reason) {
    PlanSpan first = spans.get(0);
    int spanTokens = 0;
    for (PlanSpan s : spans) {
      spanTokens = Math.addExact(spanTokens, s.tokens());
    }
    return new PlannedBatch(
        first.fileId(),
        first.path(),
        spans,
        spanTokens,
        JobSizing.jobTokens(spanTokens, spans.size()),
        reason);
  }

  /** A job of one span ({@code jobs.kind = 'single'}). */
  public boolean isSingle() {
    return spans.size() == 1;
  }

  public int startLine() {
    return spans.get(0).startLine();
  }
}
