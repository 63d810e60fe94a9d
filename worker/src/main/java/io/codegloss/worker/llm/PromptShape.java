package io.codegloss.worker.llm;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a model is asked: {@link #CHAT} turns with a JSON schema (instruction-tuned models), or
 * {@link #COMPLETION}, a code document whose open doc comment the model continues (base models,
 * which copy a JSON form's example instead of filling it). Setting {@code CODEGLOSS_PROMPT_SHAPE}:
 * auto, chat or completion.
 */
public enum PromptShape {
  CHAT,
  COMPLETION;

  private static final Logger log = LoggerFactory.getLogger(PromptShape.class);

  /**
   * The shape for these settings. {@code auto}: the embedded backend gets {@link #COMPLETION}
   * unless its GGUF carries a chat template ({@code tokenizer.chat_template}), which only
   * instruction-tuned models ship; Ollama and OpenAI-compatible servers get {@link #CHAT} (their
   * models are almost always instruction-tuned; set completion for a base model behind them).
   */
  public static PromptShape resolve(LlmSettings s) {
    return switch (s.promptShape()) {
      case "chat" -> CHAT;
      case "completion" -> COMPLETION;
      default -> s.backend().equals("embedded") ? embedded(s) : CHAT;
    };
  }

  private static PromptShape embedded(LlmSettings s) {
    try {
      return GgufHeader.hasChatTemplate(s.modelPath()) ? CHAT : COMPLETION;
    } catch (IOException e) {
      log.warn(
          "cannot read the metadata of {} ({}); asking it for completions",
          s.modelPath(),
          e.getMessage());
      return COMPLETION;
    }
  }
}
