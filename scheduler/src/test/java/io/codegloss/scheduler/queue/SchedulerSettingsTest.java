package io.codegloss.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {

  @Test
  void defaultsAndUpsShorterInterval() {
    SchedulerSettings s = SchedulerSettings.from(Settings.of(Map.of()));

    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.jobrunrPort()).isEqualTo(8000);
    assertThat(s.dashboardPassword()).isNull();
    assertThat(s.lostJobSeconds()).isEqualTo(120);
    assertThat(s.timing().timeoutMultiplicand()).isEqualTo(12);
    assertThat(SchedulerSettings.from(Settings.of(Map.of()), 5).interval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            SchedulerSettings.from(
                    Settings.of(Map.of("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "7")), 5)
                .interval())
        .as("a set interval wins over up's default")
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void theOptionsCarryEverySetting() {
    SchedulerProcess.Options o =
        SchedulerSettings.from(
                Settings.of(
                    Map.of(
                        "CODEGLOSS_JOBRUNR_DASHBOARD_USER", "ops",
                        "CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD", "secret",
                        "CODEGLOSS_POLL_SECONDS", "10")))
            .withJobrunrPort(0)
            .options();

    assertThat(o.jobrunrPort()).isZero();
    assertThat(o.dashboardUser()).isEqualTo("ops");
    assertThat(o.dashboardPassword()).isEqualTo("secret");
    assertThat(o.pollSeconds()).isEqualTo(10);
  }

  @Test
  void anInvalidValueNamesItsVariableAndTheSecretIsNeverPrinted() {
    assertThatThrownBy(
            () -> SchedulerSettings.from(Settings.of(Map.of("CODEGLOSS_JOBRUNR_PORT", "http"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_JOBRUNR_PORT");
    assertThat(
            SchedulerSettings.from(
                    Settings.of(
                        Map.of(
                            "CODEGLOSS_JOBRUNR_DASHBOARD_USER",
                            "ops",
                            "CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD",
                            "secret")))
                .toString())
        .doesNotContain("secret");
  }
}
