package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBackendTest {

  @Test
  void aMissingModelFileIsAOneLineErrorNamingThePathAndTheFetchScript(@TempDir Path home) {
    Path expected = home.resolve("models").resolve("gemma-3-270m-q4_k_m.gguf");

    assertThatThrownBy(() -> LlmBackends.create(Settings.of(Map.of()), home))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected.toString())
        .hasMessageContaining("scripts/fetch-model.sh")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anUnknownBackendNameIsAConfigErrorNamingTheVariable(@TempDir Path home) {
    assertThatThrownBy(
            () -> LlmBackends.create(Settings.of(Map.of("CODEGLOSS_BACKEND", "gpt")), home))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_BACKEND")
        .hasMessageContaining("embedded, ollama, openai");
  }
}
