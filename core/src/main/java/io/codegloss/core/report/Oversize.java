package io.codegloss.core.report;

import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.store.JobKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job too large for some worker to take whole, shown by {@code plan} and the dashboard so that no
 * job is left silently stuck or silently cut. Either it is larger than every live worker's limit
 * ({@link #runsOn} false: no worker fetches it until one with a limit of at least {@link
 * #minMaxTokens} joins), or it is a single span larger than a default worker that is enqueued at a
 * default worker's size and runs with its code cut ({@link #runsCut}).
 *
 * @param kind a batch or one span
 * @param path the file of its spans
 * @param startLine the first line of its first span
 * @param endLine the last line of its last span
 * @param symbols its spans' symbols in prompt order
 * @param jobTokens the size it is enqueued at: the smallest {@code --max-tokens} that fetches it
 * @param spanTokens its spans' code alone
 * @param limit the largest live worker's limit it was compared with
 */
public record Oversize(
    JobKind kind,
    String path,
    int startLine,
    int endLine,
    List<String> symbols,
    int jobTokens,
    int spanTokens,
    int limit) {

  public Oversize {
    symbols = List.copyOf(symbols);
  }

  /** The smallest {@code --max-tokens} of a worker that fetches this job. */
  public int minMaxTokens() {
    return jobTokens;
  }

  /** The smallest {@code --max-tokens} of a worker that takes this job with all of its code. */
  public int wholeMaxTokens() {
    return Math.max(jobTokens, JobSizing.jobTokens(spanTokens, Math.max(1, symbols.size())));
  }

  /** Whether a live worker fetches it (its limit is at least the job's size). */
  public boolean runsOn() {
    return jobTokens <= limit;
  }

  /** A single span enqueued below its whole size: the worker that runs it cuts its code to fit. */
  public boolean runsCut() {
    return kind == JobKind.SINGLE && jobTokens < wholeMaxTokens();
  }

  /**
   * The tokens of its code a worker of {@link #minMaxTokens} (a default worker) sends, cut by whole
   * lines from the head as the prompt builder cuts; a larger worker sends more. Null unless it
   * {@link #runsCut}: a batch that fits no worker is split into single-span jobs instead, and a
   * single enqueued whole runs whole.
   */
  public @Nullable Integer cutToTokens() {
    if (!runsCut()) {
      return null;
    }
    return Math.min(spanTokens, JobSizing.codeBudget(jobTokens, 1));
  }

  /** About how many of its lines that cut keeps (tokens spread evenly over the lines). */
  public @Nullable Integer cutToLines() {
    Integer tokens = cutToTokens();
    if (tokens == null) {
      return null;
    }
    int lines = endLine - startLine + 1;
    return spanTokens == 0 ? lines : (int) ((long) lines * tokens / spanTokens);
  }
}
