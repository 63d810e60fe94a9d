package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanSettingsTest {

  @TempDir Path dir;

  @Test
  void withNothingSetTheSeedDefaultsApply() {
    PlanSettings s = PlanSettings.from(Settings.load(Map.of(), Map.of(), null));

    assertThat(s).isEqualTo(new PlanSettings(true, 2000, 100, 2, 200));
    assertThat(s).isEqualTo(PlanSettings.defaults());
    assertThat(s.largeSpanTokens()).isEqualTo(1000);
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheConfigFileWhichBeatsTheDefault() throws IOException {
    Path file = dir.resolve("codegloss.properties");
    Files.writeString(
        file,
        "RAG_BATCH_MAX_TOKENS=3000\n"
            + "RAG_BATCH_MAX_LINE_GAP=50\n"
            + "RAG_BATCH_MIN_SIZE=3\n"
            + "RAG_BATCH_ENRICHMENT=off\n");
    Map<String, String> env =
        Map.of("RAG_BATCH_MAX_TOKENS", "2500", "RAG_BATCH_MAX_LINE_GAP", "70");
    Map<String, String> flags = Map.of("RAG_BATCH_MAX_TOKENS", "1500");

    PlanSettings s = PlanSettings.from(Settings.load(flags, env, file));

    assertThat(s.maxTokens()).as("flag").isEqualTo(1500);
    assertThat(s.maxLineGap()).as("environment").isEqualTo(70);
    assertThat(s.minSize()).as("config file").isEqualTo(3);
    assertThat(s.enabled()).as("config file").isFalse();
    assertThat(s.largeSpanLines()).as("default").isEqualTo(200);
  }

  @Test
  void aZeroTokenBudgetIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_MAX_TOKENS", "0"), "RAG_BATCH_MAX_TOKENS");
  }

  @Test
  void aTokenBudgetThatIsNotANumberIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_MAX_TOKENS", "abc"), "RAG_BATCH_MAX_TOKENS");
  }

  @Test
  void aMinimumSizeOfZeroIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_MIN_SIZE", "0"), "RAG_BATCH_MIN_SIZE");
  }

  @Test
  void aNegativeLineGapIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_MAX_LINE_GAP", "-5"), "RAG_BATCH_MAX_LINE_GAP");
  }

  @Test
  void anOnOffSettingThatIsNeitherIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_ENRICHMENT", "sometimes"), "RAG_BATCH_ENRICHMENT");
  }

  @Test
  void aZeroLargeSpanLineCountIsAnErrorNamingTheVariable() {
    assertInvalid(Map.of("RAG_BATCH_LARGE_SPAN_LINES", "0"), "RAG_BATCH_LARGE_SPAN_LINES");
  }

  @Test
  void anInvalidValueFromTheEnvironmentSaysItCameFromTheEnvironment() {
    assertThatThrownBy(
            () ->
                PlanSettings.from(
                    Settings.load(Map.of(), Map.of("RAG_BATCH_MAX_TOKENS", "lots"), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RAG_BATCH_MAX_TOKENS")
        .hasMessageContaining("environment");
  }

  @Test
  void settingsBuiltInCodeAreCheckedLikeConfiguredOnes() {
    assertThatThrownBy(() -> new PlanSettings(true, 0, 100, 2, 200))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RAG_BATCH_MAX_TOKENS");
    assertThatThrownBy(() -> new PlanSettings(true, 2000, 100, 0, 200))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RAG_BATCH_MIN_SIZE");
  }

  @Test
  void theDescriptionNamesEveryVariableWithItsValue() {
    assertThat(PlanSettings.defaults().describe())
        .isEqualTo(
            "RAG_BATCH_ENRICHMENT=on RAG_BATCH_MAX_TOKENS=2000 RAG_BATCH_MAX_LINE_GAP=100"
                + " RAG_BATCH_MIN_SIZE=2 RAG_BATCH_LARGE_SPAN_LINES=200");
  }

  private static void assertInvalid(Map<String, String> flags, String variable) {
    assertThatThrownBy(() -> PlanSettings.from(Settings.load(flags, Map.of(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(variable);
  }
}
