package io.codegloss.scheduler.index.extract;

import java.util.List;

/**
 * The spans of one file.
 *
 * @param spans in document order; parents come before their children
 * @param parseErrors the parser had to recover from syntax errors; spans are what it recovered
 */
public record Extraction(List<ExtractedSpan> spans, boolean parseErrors) {}
