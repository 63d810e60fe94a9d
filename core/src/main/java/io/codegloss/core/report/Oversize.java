package io.codegloss.core.report;

import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.store.JobKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job larger than every live worker's limit: no worker fetches it, so it waits until one with a
 * limit of at least {@link #minMaxTokens} joins. Shown by {@code plan} and the dashboard, never
 * left silently stuck.
 *
 * @param kind a batch or one span
 * @param path the file of its spans
 * @param startLine the first line of its first span
 * @param endLine the last line of its last span
 * @param symbols its spans' symbols in prompt order
 * @param jobTokens prompt plus output cap: the smallest {@code --max-tokens} that takes it whole
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

  /** The smallest {@code --max-tokens} of a worker that would take this job uncut. */
  public int minMaxTokens() {
    return jobTokens;
  }

  /**
   * A single span's code tokens on the largest live worker if it were cut to fit there (by whole
   * lines from the head, as the prompt builder cuts); null for a batch, which a worker that cannot
   * take it whole splits into single-span jobs instead.
   */
  public @Nullable Integer cutToTokens() {
    if (kind != JobKind.SINGLE) {
      return null;
    }
    return Math.min(spanTokens, JobSizing.codeBudget(limit, 1));
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
