package io.codegloss.core.search;

import org.jspecify.annotations.Nullable;

/**
 * One ranked span. Text fields come from code and models: untrusted wherever they are shown.
 *
 * @param repositoryRoot the repository's root path as registered
 * @param path the file, relative to the root, '/' separated
 * @param summary the current note's summary (model prose or the span's docstring), null when none
 * @param state the span's state word from the {@code span_state} view (enriched, facts_only, ...)
 * @param score higher is better; comparable only within one search
 */
public record SearchHit(
    long spanId,
    String repositoryRoot,
    String path,
    int startLine,
    int endLine,
    String symbol,
    String kind,
    String language,
    @Nullable String summary,
    String state,
    double score) {}
