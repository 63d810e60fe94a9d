package io.codegloss.dashboard.view;

/**
 * One repository's queue and its progress toward "every span has a current enrichment".
 *
 * @param progress enrichedSpans / spans, 0 when the repository has no spans yet
 * @param pendingTokens tokens of the jobs still enqueued or processing
 */
public record RepoQueue(
    long id,
    String name,
    String rootPath,
    long spans,
    long enrichedSpans,
    double progress,
    long failedSpans,
    long factsOnlySpans,
    long notIndexedSpans,
    StateCounts batch,
    StateCounts single,
    StateCounts all,
    long pendingTokens) {}
