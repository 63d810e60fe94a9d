package io.codegloss.scheduler.index.extract;

import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SpanFacts;
import java.util.List;

/**
 * The spans of one file.
 *
 * @param spans in document order; parents come before their children
 * @param parseErrors the parser had to recover from syntax errors; spans are what it recovered
 * @param imports the file's imports, for call resolution; empty when facts were not analysed
 * @param facts one entry per span, aligned with {@code spans}; empty when facts were not analysed
 */
public record Extraction(
    List<ExtractedSpan> spans,
    boolean parseErrors,
    List<FileImport> imports,
    List<SpanFacts> facts) {

  public Extraction(List<ExtractedSpan> spans, boolean parseErrors) {
    this(spans, parseErrors, List.of(), List.of());
  }
}
