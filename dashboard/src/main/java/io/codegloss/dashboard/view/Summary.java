package io.codegloss.dashboard.view;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The headline numbers shown at the top of the page.
 *
 * @param secretsRedacted secrets cut out of every recorded LLM call's prompt
 */
public record Summary(
    Instant generatedAt,
    long repositories,
    long spans,
    long enrichedSpans,
    double progress,
    StateCounts jobs,
    @Nullable Integer maxLiveWorkerTokens,
    long workersAlive,
    long workersDead,
    long spansLastHour,
    long tokensLastHour,
    long failedCallsLastHour,
    long failedSpans,
    long secretsRedacted) {}
