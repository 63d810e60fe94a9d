package io.codegloss.scheduler.plan;

import io.codegloss.core.queue.JobSizing;
import java.util.List;
import java.util.Objects;

/**
 * One job the planner would enqueue: one or more spans of one file, in line order.
 *
 * @param spanTokens the sum of the spans' {@link PlanSpan#tokens()}
 * @param jobTokens the size it is enqueued (and fetched) at: {@link JobSizing#jobTokens(int, int)}
 *     of this batch, or for a single span larger than a default worker that worker's size ({@link
 *     JobSizing#singleJobTokens(int, int)}): it runs with its code cut to fit
 * @param wholeJobTokens the job with all of its code: the smallest {@code --max-tokens} that takes
 *     it uncut; equal to {@code jobTokens} unless the span runs cut
 * @param reason why the planner closed this batch
 */
public record PlannedBatch(
    long fileId,
    String path,
    List<PlanSpan> spans,
    int spanTokens,
    int jobTokens,
    int wholeJobTokens,
    CloseReason reason) {

  public PlannedBatch {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    spans = List.copyOf(spans);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one span");
    }
    if (jobTokens > wholeJobTokens || (jobTokens < wholeJobTokens && spans.size() > 1)) {
      throw new IllegalArgumentException(
          "only a single span runs cut: job " + jobTokens + " of " + wholeJobTokens + " tokens");
    }
    for (PlanSpan s : spans) {
      if (s.fileId() != fileId) {
        throw new IllegalArgumentException(
            "span " + s.spanId() + " of file " + s.fileId() + " in a batch of file " + fileId);
      }
    }
  }

  /**
   * A batch of {@code spans} (same file, line order) with its sizes computed; a single span whose
   * job would exceed {@code maxJobTokens} is sized to it and runs with its code cut.
   */
  public static PlannedBatch of(List<PlanSpan> spans, CloseReason reason, int maxJobTokens) {
    PlanSpan first = spans.get(0);
    int spanTokens = 0;
    for (PlanSpan s : spans) {
      spanTokens = Math.addExact(spanTokens, s.tokens());
    }
    int whole = JobSizing.jobTokens(spanTokens, spans.size());
    int job = spans.size() == 1 ? JobSizing.singleJobTokens(spanTokens, maxJobTokens) : whole;
    return new PlannedBatch(first.fileId(), first.path(), spans, spanTokens, job, whole, reason);
  }

  /** A single span too large for a default worker: it runs with its code cut to fit. */
  public boolean runsCut() {
    return jobTokens < wholeJobTokens;
  }

  /** A job of one span ({@code jobs.kind = 'single'}). */
  public boolean isSingle() {
    return spans.size() == 1;
  }

  public int startLine() {
    return spans.get(0).startLine();
  }
}
