package io.codegloss.scheduler.index;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One repository as {@code status} shows it.
 *
 * @param lastIndexedAt ISO-8601 time of the last completed index run, or null
 * @param pending spans without a current enrichment (see {@link RepoQueries})
 * @param byLanguageAndKind span and pending counts per language and kind
 */
public record RepoStatus(
    long repoId,
    String root,
    String name,
    int generation,
    @Nullable String lastIndexedAt,
    long files,
    long skippedFiles,
    long spans,
    long pending,
    long enriched,
    long factsOnly,
    long proseFailed,
    long notIndexed,
    List<LanguageKindCount> byLanguageAndKind) {

  public RepoStatus {
    byLanguageAndKind = List.copyOf(byLanguageAndKind);
  }

  /** Spans of one language and kind. */
  public record LanguageKindCount(
      String language,
      String kind,
      long spans,
      long pending,
      long enriched,
      long factsOnly,
      long proseFailed,
      long notIndexed) {}
}
