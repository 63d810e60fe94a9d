package io.codegloss.dashboard.view;

import java.time.Instant;

/**
 * One minute of LLM work.
 *
 * @param minute start of the minute
 * @param calls LLM calls that finished in the minute
 * @param spans spans enriched (valid items) in the minute: spans per minute
 * @param tokens prompt plus completion tokens
 * @param tokensPerSecond tokens / 60
 */
public record ThroughputPoint(
    Instant minute, long calls, long spans, long tokens, double tokensPerSecond) {}
