package io.codegloss.scheduler.index;

import io.codegloss.scheduler.index.walk.SkippedFile;
import java.util.List;

/**
 * What one {@code index} run did. Serialized with Jackson's SNAKE_CASE naming: {@code
 * files_scanned, files_changed, files_skipped, spans_total, spans_added, spans_changed,
 * spans_moved, spans_removed, seconds} plus the repository and a few extra counters.
 *
 * @param filesScanned source files in an indexed language that the walk found (changed or not)
 * @param filesChanged files whose spans were (re)written: new, edited or renamed files
 * @param filesRemoved files that left the index: deleted, now ignored, or now skipped
 * @param filesWithParseErrors files indexed from a tree the parser had to recover
 * @param filesWithInvalidUtf8 files indexed with their bytes that are not valid UTF-8 (or not valid
 *     in their declared encoding) read as '?'
 * @param filesWithDeclaredEncoding Python files decoded by the encoding their PEP 263 coding cookie
 *     names (latin-1, cp1252...) rather than as UTF-8
 * @param filesSkipped every file left out on purpose in this run, with the reason
 * @param spansTotal spans of the repository after the run
 * @param spansAdded new span rows (pending enrichment)
 * @param spansChanged spans whose code changed: same row, new hash, so pending again
 * @param spansMoved unchanged code at new lines or bytes, or in a renamed file; keeps enrichment
 * @param spansRemoved span rows deleted together with their enrichments
 */
public record IndexReport(
    long repoId,
    String root,
    int filesScanned,
    int filesChanged,
    int filesRemoved,
    int filesWithParseErrors,
    int filesWithInvalidUtf8,
    int filesWithDeclaredEncoding,
    List<SkippedFile> filesSkipped,
    long spansTotal,
    int spansAdded,
    int spansChanged,
    int spansMoved,
    int spansRemoved,
    double seconds) {

  public IndexReport {
    filesSkipped = List.copyOf(filesSkipped);
  }
}
