package io.codegloss.scheduler.index;

/**
 * One span as {@code spans [FILE]} lists it.
 *
 * @param file relative to the repository root, '/' separated
 * @param hash the span's content hash
 * @param state not_indexed, facts_only, enriched or prose_failed (the span_state view)
 */
public record SpanInfo(
    long id,
    String file,
    String language,
    String symbol,
    String kind,
    int startLine,
    int endLine,
    int tokenEstimate,
    String hash,
    String state) {}
