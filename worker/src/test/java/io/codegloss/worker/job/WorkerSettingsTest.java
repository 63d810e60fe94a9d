package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmRequest;
import io.codegloss.worker.llm.LlmResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker's settings, read once, and the limits the factory derives from them. */
class WorkerSettingsTest {

  /** A backend that is never called: only its context window matters here. */
  private static LlmBackend contextOf(int tokens) {
    return new LlmBackend() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public String model() {
        return "test-model";
      }

      @Override
      public int contextWindow() {
        return tokens;
      }

      @Override
      public int countTokens(String text) {
        return text.length() / 4;
      }

      @Override
      public boolean exactTokenCounts() {
        return false;
      }

      @Override
      public int chatPromptTokens(String system, String user) {
        return countTokens(system) + countTokens(user);
      }

      @Override
      public LlmResponse complete(LlmRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void defaults() {
    WorkerSettings s = WorkerSettings.from(Settings.of(Map.of()));

    assertThat(s.name()).isNull();
    assertThat(s.maxTokens()).isNull();
    assertThat(s.concurrency()).isEqualTo(1);
    assertThat(s.drain()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.timing().pollSeconds()).isEqualTo(5);
    assertThat(s.retry().maxAttempts()).isEqualTo(8);
    assertThat(s.batchPause().after()).isEqualTo(3);
    assertThat(s.timeoutBaseSeconds()).isEqualTo(60);
    assertThat(s.secondsPerOutputToken()).isEqualTo(0.25);
    assertThat(Workers.identity(s, contextOf(8192), "host-1").maxTokens()).isEqualTo(8192);
    assertThat(Workers.identity(s, contextOf(8192), "host-1").name()).isEqualTo("host-1");
  }

  @Test
  void theSettingsWinOverTheDefaults() {
    WorkerSettings s =
        WorkerSettings.from(
            Settings.of(
                Map.of(
                    "CODEGLOSS_WORKER_NAME", "gpu-1",
                    "CODEGLOSS_WORKER_MAX_TOKENS", "4096",
                    "CODEGLOSS_WORKER_CONCURRENCY", "2")));

    WorkerIdentity id = Workers.identity(s, contextOf(8192), "ignored");
    assertThat(id.name()).isEqualTo("gpu-1");
    assertThat(id.maxTokens()).isEqualTo(4096);
    assertThat(id.concurrency()).isEqualTo(2);
    assertThat(s.with("bench-1", 3).name()).isEqualTo("bench-1");
    assertThat(s.with("bench-1", 3).maxTokens()).isEqualTo(4096);
  }

  @Test
  void aWorkerRunsHalfItsConcurrencyAheadUnlessToldOtherwise() {
    WorkerSettings eight =
        WorkerSettings.from(Settings.of(Map.of("CODEGLOSS_WORKER_CONCURRENCY", "8")));
    assertThat(eight.jobsAhead()).isEqualTo(4);
    assertThat(eight.databasePoolSize()).isEqualTo(8 + 4 + 2);
    assertThat(Workers.identity(eight, contextOf(8192), "w").jobThreads()).isEqualTo(12);
    assertThat(eight.with("bench-1", 3).jobsAhead()).isEqualTo(2);
    assertThat(WorkerSettings.from(Settings.of(Map.of())).jobsAhead()).isEqualTo(1);

    WorkerSettings none =
        WorkerSettings.from(
            Settings.of(
                Map.of("CODEGLOSS_WORKER_CONCURRENCY", "8", "CODEGLOSS_WORKER_AHEAD", "0")));
    assertThat(none.jobsAhead()).isZero();
    assertThat(Workers.identity(none, contextOf(8192), "w").jobThreads()).isEqualTo(8);
    assertThat(none.databasePoolSize()).isEqualTo(10);
    assertThatThrownBy(
            () -> WorkerSettings.from(Settings.of(Map.of("CODEGLOSS_WORKER_AHEAD", "-1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_WORKER_AHEAD");
  }

  @Test
  void aLimitAboveTheModelsContextIsASettingError() {
    WorkerSettings s =
        WorkerSettings.from(Settings.of(Map.of("CODEGLOSS_WORKER_MAX_TOKENS", "16384")));

    assertThatThrownBy(() -> Workers.identity(s, contextOf(8192), "w"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_WORKER_MAX_TOKENS")
        .hasMessageContaining("8192");
  }

  @Test
  void anInvalidValueNamesItsVariable() {
    assertThatThrownBy(
            () -> WorkerSettings.from(Settings.of(Map.of("CODEGLOSS_WORKER_CONCURRENCY", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_WORKER_CONCURRENCY");
    assertThatThrownBy(
            () -> WorkerSettings.from(Settings.of(Map.of("CODEGLOSS_WORKER_MAX_TOKENS", "12"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_WORKER_MAX_TOKENS");
  }
}
