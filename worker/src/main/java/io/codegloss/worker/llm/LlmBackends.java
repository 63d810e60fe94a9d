package io.codegloss.worker.llm;

import io.codegloss.core.config.Settings;
import java.nio.file.Path;

/** Picks and builds the backend named by CODEGLOSS_BACKEND. */
public final class LlmBackends {

  private LlmBackends() {}

  /**
   * @param settings the resolved settings (see {@link LlmSettings#from} for every variable read)
   * @param home CODEGLOSS_HOME; the default model lives under {@code home/models}
   * @throws io.codegloss.core.error.ConfigException for an invalid setting, a missing model file,
   *     or an OpenAI-compatible server whose model cannot be discovered
   */
  public static LlmBackend create(Settings settings, Path home) {
    return create(LlmSettings.from(settings, home));
  }

  public static LlmBackend create(LlmSettings s) {
    return switch (s.backend()) {
      case "ollama" -> new OllamaBackend(s);
      case "openai" -> OpenAiBackend.create(s);
      default -> new EmbeddedBackend(s);
    };
  }
}
