package io.codegloss.worker.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.codegloss.core.error.PermanentException;
import java.time.Duration;

/** What the Ollama and OpenAI-compatible backends share: messages, deadlines, the budget check. */
abstract sealed class HttpBackend implements LlmBackend permits OllamaBackend, OpenAiBackend {

  /** Template tokens around one chat message (role markers, separators). */
  static final int PER_MESSAGE_TOKENS = 8;

  final LlmSettings settings;
  private final PromptShape shape;
  final HttpTransport transport;
  final String model;
  final boolean foldSystem;

  HttpBackend(LlmSettings settings, HttpTransport transport, String model, boolean foldSystem) {
    this.settings = settings;
    this.shape = PromptShape.resolve(settings);
    this.transport = transport;
    this.model = model;
    this.foldSystem = foldSystem;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int contextWindow() {
    return settings.contextWindow();
  }

  @Override
  public void close() {
    // the HTTP client is shared by the whole process and outlives any one backend
  }

  Duration attemptTimeout(LlmRequest r) {
    Duration d = settings.timeoutOverride() != null ? settings.timeoutOverride() : r.timeout();
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("an LLM request needs a positive timeout");
    }
    return d;
  }

  /**
   * System and user turn; folded into one user turn where the chat template has no system role
   * (Gemma's turn format puts the instructions at the head of the first user turn).
   */
  ArrayNode messages(LlmRequest r) {
    ArrayNode msgs = Json.MAPPER.createArrayNode();
    if (foldSystem) {
      msgs.addObject().put("role", "user").put("content", r.system() + "\n\n" + r.user());
    } else {
      msgs.addObject().put("role", "system").put("content", r.system());
      msgs.addObject().put("role", "user").put("content", r.user());
    }
    return msgs;
  }

  @Override
  public PromptShape promptShape() {
    return shape;
  }

  /** Both turns plus the chat template: the server's template is not known here, so a bound. */
  @Override
  public int chatPromptTokens(String system, String user) {
    return countTokens(system) + countTokens(user) + 3 * PER_MESSAGE_TOKENS;
  }

  /** The caller's count when it has one, else {@link #chatPromptTokens}. */
  int promptTokens(LlmRequest r) {
    return r.promptTokens() != null ? r.promptTokens() : chatPromptTokens(r.system(), r.user());
  }

  /** Refuses before sending: a server would truncate the prompt or stop early, both silently. */
  void checkBudget(int promptTokens, int maxOutputTokens) {
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be positive");
    }
    if (promptTokens + maxOutputTokens > contextWindow()) {
      throw new PermanentException(
          name()
              + ": prompt of "
              + (exactTokenCounts() ? "" : "about ")
              + promptTokens
              + " tokens plus the output cap of "
              + maxOutputTokens
              + " exceeds the context window of "
              + contextWindow()
              + " (CODEGLOSS_CONTEXT)");
    }
  }

  static PermanentException truncated(String backend, int tokens) {
    return new PermanentException(backend + ": answer truncated at " + tokens + " tokens");
  }
}
