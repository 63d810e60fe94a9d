package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {

  @Test
  void defaultsToTheEmbeddedGemmaModelUnderTheHome() {
    LlmSettings s = LlmSettings.from(Settings.of(Map.of()), Path.of("/srv/cg"));

    assertThat(s.backend()).isEqualTo("embedded");
    assertThat(s.modelPath()).isEqualTo(Path.of("/srv/cg/models/gemma-3-270m-q4_k_m.gguf"));
    assertThat(s.contextWindow()).isEqualTo(8192);
    assertThat(s.timeoutOverride()).isNull();
    assertThat(s.maxAttempts()).isEqualTo(3);
    assertThat(s.openaiBaseUrl()).isEqualTo("http://127.0.0.1:8080/v1");
  }

  @Test
  void theTimeoutSettingBecomesAnOverrideOfEveryAttempt() {
    LlmSettings s =
        LlmSettings.from(
            Settings.of(Map.of("CODEGLOSS_LLM_TIMEOUT_SECONDS", "90")), Path.of("/srv/cg"));

    assertThat(s.timeoutOverride()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void neverShowsTheApiKey() {
    LlmSettings s =
        LlmSettings.from(
            Settings.of(Map.of("OPENAI_API_KEY", "sk-secret-value")), Path.of("/srv/cg"));

    assertThat(s.toString()).doesNotContain("sk-secret-value").contains("openaiApiKey=set");
  }

  @Test
  void anInvalidChoiceNamesTheVariableAndTheChoices() {
    assertThatThrownBy(
            () ->
                LlmSettings.from(
                    Settings.of(Map.of("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "yaml")),
                    Path.of("/srv/cg")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_OPENAI_RESPONSE_FORMAT")
        .hasMessageContaining("auto, json_schema, json_object");
  }
}
