package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexSettingsTest {

  @Test
  void defaultsToOneMebibyteFilesAndOneThreadMoreThanCores() {
    IndexSettings s = IndexSettings.from(Settings.of(Map.of()));

    assertThat(s.maxFileBytes()).isEqualTo(1024 * 1024);
    assertThat(s.threads()).isEqualTo(Runtime.getRuntime().availableProcessors() + 1);
    assertThat(s.extraExcludes()).isEmpty();
  }

  @Test
  void readsEverySettingByItsVariableName() {
    IndexSettings s =
        IndexSettings.from(
            Settings.of(
                Map.of(
                    "CODEGLOSS_MAX_FILE_BYTES", "2000",
                    "CODEGLOSS_INDEX_THREADS", "3",
                    "CODEGLOSS_PARSE_TIMEOUT_MS", "500",
                    "CODEGLOSS_INDEX_EXCLUDE", "vendor/, *.gen.py ,")));

    assertThat(s)
        .isEqualTo(new IndexSettings(2000, 3, 500, java.util.List.of("vendor/", "*.gen.py")));
  }

  @Test
  void anInvalidValueIsAnErrorNamingTheVariable() {
    assertThatThrownBy(
            () -> IndexSettings.from(Settings.of(Map.of("CODEGLOSS_MAX_FILE_BYTES", "1MB"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_MAX_FILE_BYTES");
  }
}
