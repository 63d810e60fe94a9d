package io.codegloss.worker.llm;

import java.time.Duration;

/**
 * @param system the system message (instructions)
 * @param user the user message (the spans)
 * @param jsonSchema the JSON Schema the answer must follow, used for constrained decoding
 * @param maxOutputTokens the output cap; hitting it is a truncation failure
 * @param timeout the deadline for the whole call, derived from the token budget
 */
public record LlmRequest(
    String system, String user, String jsonSchema, int maxOutputTokens, Duration timeout) {}
