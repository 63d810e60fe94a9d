package io.codegloss.dashboard.view;

import org.jspecify.annotations.Nullable;

/**
 * What all LLM calls of one mode (batch or single) cost. The per-span figures divide by the spans
 * that came out enriched, and count every call including failed ones: the price of one enriched
 * span. They are null while no span of that mode was enriched.
 */
public record ModeCost(
    String mode,
    long calls,
    long failedCalls,
    long spansAsked,
    long spansEnriched,
    long promptTokens,
    long completionTokens,
    long wallMs,
    @Nullable Double callsPerSpan,
    @Nullable Double tokensPerSpan,
    @Nullable Double secondsPerSpan) {}
