package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardSettingsTest {

  @Test
  void withNothingConfiguredTheDashboardIsOpenOnPort7070AndWorkersDieAfter45Seconds() {
    DashboardSettings s = DashboardSettings.from(Settings.of(Map.of()));

    assertThat(s.port()).isEqualTo(7070);
    assertThat(s.workerDeadSeconds()).isEqualTo(45);
    assertThat(s.authRequired()).isFalse();
    assertThat(s.jobUrl("42")).isEqualTo("http://localhost:8000/dashboard/jobs/42");
  }

  @Test
  void aPasswordAloneLocksTheDashboardForTheDefaultUser() {
    DashboardSettings s =
        DashboardSettings.from(Settings.of(Map.of("CODEGLOSS_DASHBOARD_PASSWORD", "hunter2")));

    assertThat(s.authRequired()).isTrue();
    assertThat(s.user()).isEqualTo("codegloss");
  }

  @Test
  void aUserWithoutAPasswordIsRefusedRatherThanServedOpen() {
    assertThatThrownBy(
            () -> DashboardSettings.from(Settings.of(Map.of("CODEGLOSS_DASHBOARD_USER", "ops"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_DASHBOARD_PASSWORD");
  }

  @Test
  void anInvalidDeadThresholdIsAnErrorNamingTheVariable() {
    assertThatThrownBy(
            () ->
                DashboardSettings.from(
                    Settings.of(Map.of("CODEGLOSS_WORKER_DEAD_SECONDS", "soon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_WORKER_DEAD_SECONDS");
  }

  @Test
  void theJobRunrLinkBaseLosesItsTrailingSlashAndMustBeAnHttpUrl() {
    DashboardSettings s =
        DashboardSettings.from(
            Settings.of(Map.of("CODEGLOSS_JOBRUNR_DASHBOARD_URL", "http://sched:8000/")));
    assertThat(s.jobUrl("x")).isEqualTo("http://sched:8000/dashboard/jobs/x");

    assertThatThrownBy(
            () ->
                DashboardSettings.from(
                    Settings.of(Map.of("CODEGLOSS_JOBRUNR_DASHBOARD_URL", "sched:8000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_JOBRUNR_DASHBOARD_URL");
  }

  @Test
  void thePasswordNeverAppearsWhenTheSettingsArePrinted() {
    DashboardSettings s =
        DashboardSettings.from(
            Settings.of(
                Map.of(
                    "CODEGLOSS_DASHBOARD_USER", "ops", "CODEGLOSS_DASHBOARD_PASSWORD", "hunter2")));

    assertThat(s.toString()).doesNotContain("hunter2").contains("auth=basic");
  }
}
