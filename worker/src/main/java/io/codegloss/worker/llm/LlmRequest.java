package io.codegloss.worker.llm;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * @param system the system message (instructions)
 * @param user the user message (the spans)
 * @param jsonSchema the JSON Schema the answer must follow, used for constrained decoding
 * @param maxOutputTokens the output cap; hitting it is a truncation failure
 * @param timeout the deadline for the whole call, derived from the token budget
 * @param promptTokens the prompt's tokens as the caller already counted them with this backend's
 *     {@link LlmBackend#chatPromptTokens}, or null: the backend counts them. A server's tokenizer
 *     is an HTTP round trip per message, inside the call's slot.
 */
public record LlmRequest(
    String system,
    String user,
    String jsonSchema,
    int maxOutputTokens,
    Duration timeout,
    @Nullable Integer promptTokens) {

  /** A request whose messages the backend counts itself. */
  public LlmRequest(
      String system, String user, String jsonSchema, int maxOutputTokens, Duration timeout) {
    this(system, user, jsonSchema, maxOutputTokens, timeout, null);
  }
}
