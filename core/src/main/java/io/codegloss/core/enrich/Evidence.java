package io.codegloss.core.enrich;

/**
 * One evidence entry: the absolute file lines (1-based, inclusive, inside the span) that support
 * {@code field}.
 */
public record Evidence(String field, int startLine, int endLine) {}
