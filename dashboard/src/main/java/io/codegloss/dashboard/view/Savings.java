package io.codegloss.dashboard.view;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Batch against single mode. The ratios are batch per-span cost / single per-span cost (0.25 means
 * batching needs a quarter of the calls per span); null until both modes have enriched spans.
 *
 * @param asOf when the call totals were read (a few seconds old on a large database; see {@link
 *     SlowRead})
 */
public record Savings(
    ModeCost batch,
    ModeCost single,
    @Nullable Double callsRatio,
    @Nullable Double tokensRatio,
    @Nullable Double secondsRatio,
    @Nullable Long callsSaved,
    Instant asOf) {}
