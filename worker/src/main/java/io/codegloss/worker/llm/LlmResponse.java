package io.codegloss.worker.llm;

import org.jspecify.annotations.Nullable;

/**
 * @param text the raw completion text (parsed defensively by the caller)
 * @param promptTokens from the server's usage fields when present, else counted
 * @param completionTokens likewise
 * @param finishReason "stop", or whatever the server said; "length" never reaches here from {@link
 *     LlmBackend#complete} (it is a truncation failure), only from {@link LlmBackend#continueText},
 *     where a continuation that reached the cap is still returned
 * @param wallMillis wall time of the call including transient retries
 * @param attempts how many HTTP attempts it took (1 when the first one answered)
 */
public record LlmResponse(
    String text,
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    String finishReason,
    long wallMillis,
    int attempts) {}
