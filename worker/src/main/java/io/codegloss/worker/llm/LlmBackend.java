package io.codegloss.worker.llm;

/**
 * One LLM endpoint: embedded llama.cpp, Ollama or an OpenAI-compatible server. Implementations
 * translate every foreign failure into {@link io.codegloss.core.error.RetryableException} (after
 * their own transient retries are used up) or {@link io.codegloss.core.error.PermanentException}
 * (context overflow, truncation at the output cap, a refused request).
 */
public interface LlmBackend extends AutoCloseable {

  /** "embedded", "ollama" or "openai". */
  String name();

  /** The model name as stored with every enrichment. */
  String model();

  /** The model's context window in tokens (prompt plus output). */
  int contextWindow();

  /**
   * Tokens of {@code text} in the model's own tokenizer where the backend offers one (embedded:
   * exact; llama.cpp server and vLLM: /tokenize), otherwise a conservative estimate.
   */
  int countTokens(String text);

  /** True when {@link #countTokens} is exact rather than an estimate. */
  boolean exactTokenCounts();

  /**
   * Tokens of a chat request with these two turns as the model receives it: both turns plus what
   * the chat template puts around them (role markers, separators, BOS). This is the number {@link
   * #complete} checks against the context window, so a caller that fits a prompt to its budget with
   * it is never refused for the template's few tokens.
   */
  int chatPromptTokens(String system, String user);

  /**
   * The shape of prompt this backend's model can answer: chat with a JSON schema (instruct models)
   * or doc-comment completion (base models). Decided once per backend from its settings and model
   * ({@link PromptShape#resolve}).
   */
  default PromptShape promptShape() {
    return PromptShape.CHAT;
  }

  /** One chat completion constrained by {@code request.jsonSchema()}. */
  LlmResponse complete(LlmRequest request);

  /**
   * The model continues {@code request.prompt()} as a plain document (no chat turns, no schema),
   * greedily, until a stop string, the end of text, or the output cap. Reaching the cap is not a
   * failure here: the answer comes back with finish reason {@code "length"} and the caller decides
   * (a doc-comment continuation keeps its first complete sentence). A prompt that does not fit the
   * context with the cap is refused before generating ({@link
   * io.codegloss.core.error.PermanentException}); transient faults are retried and then reported as
   * {@link io.codegloss.core.error.RetryableException}.
   *
   * @return the continuation with every stop string and what follows it removed; finish reason
   *     {@code "stop"} or {@code "length"}
   */
  default LlmResponse continueText(TextRequest request) {
    throw new io.codegloss.core.error.PermanentException(
        name() + ": this backend offers no text completion");
  }

  @Override
  void close();
}
