package io.codegloss.dashboard.view;

import io.codegloss.core.report.Oversize;
import io.codegloss.core.store.JobTable;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The order workers take enqueued jobs in, and the jobs none of them takes.
 *
 * @param priorities enqueued jobs by priority, interactive first (the capacity fetch's order)
 * @param maxLiveWorkerTokens the largest limit among live running workers, null when none is alive
 * @param oversize the largest enqueued jobs above that limit (at most {@link #OVERSIZE_LIMIT}),
 *     each with the {@code --max-tokens} that would take it; empty when no worker is alive
 * @param oversizeTotal how many enqueued jobs are above that limit
 * @param cut the largest enqueued single spans that a live worker fetches but that run with their
 *     code cut to fit, being larger than a default worker (at most {@link #OVERSIZE_LIMIT}); every
 *     such job when no worker is alive
 * @param cutTotal how many enqueued jobs run cut
 */
public record LineUp(
    List<LineUp.Priority> priorities,
    @Nullable Integer maxLiveWorkerTokens,
    List<LineUp.Job> oversize,
    long oversizeTotal,
    List<LineUp.Job> cut,
    long cutTotal) {

  public static final int OVERSIZE_LIMIT = 20;

  /** Enqueued jobs of one priority and since when the oldest waits. */
  public record Priority(String priority, long jobs, @Nullable Instant oldest) {
    static List<Priority> of(List<JobTable.PriorityCount> counts) {
      return counts.stream()
          .map(p -> new Priority(p.priority().db(), p.jobs(), p.oldest()))
          .toList();
    }
  }

  /** An enqueued job no live worker takes, or one that runs cut, as the page shows it. */
  public record Job(
      String kind,
      String path,
      int startLine,
      int endLine,
      List<String> symbols,
      int jobTokens,
      int spanTokens,
      int minMaxTokens,
      int wholeMaxTokens,
      @Nullable Integer cutToTokens,
      @Nullable Integer cutToLines) {

    static Job of(Oversize o) {
      return new Job(
          o.kind().db(),
          o.path(),
          o.startLine(),
          o.endLine(),
          o.symbols(),
          o.jobTokens(),
          o.spanTokens(),
          o.minMaxTokens(),
          o.wholeMaxTokens(),
          o.cutToTokens(),
          o.cutToLines());
    }
  }
}
