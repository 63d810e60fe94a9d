package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** /api/lineup: the order workers take enqueued jobs in, and the jobs none of them takes. */
class DashboardLineUpTest extends SeededDashboardTest {

  @Test
  void interactiveJobsAreCountedAheadOfBulkOnesAndOversizeJobsNameTheLimitThatTakesThem() {
    seed.repo("/srv/app").file("big.py");
    long small = seed.span("small", 1, 5).spanId();
    long huge = seed.span("huge", 10, 409).spanId();
    seed.job(j -> j.kind("single").status("enqueued").tokens(900).spans(small));
    java.util.UUID edited = seed.jobId();
    seed.job(j -> j.kind("single").status("enqueued").tokens(12_000).spans(huge));
    seed.job("batch", "enqueued", 2_000);
    seed.job("batch", "succeeded", 2_000);
    setInteractive(edited);
    seed.worker("laptop", w -> w.maxTokens(4_096));

    JsonNode l = http.json("/api/lineup");

    assertThat(l.path("priorities").get(0).path("priority").asText()).isEqualTo("interactive");
    assertThat(l.path("priorities").get(0).path("jobs").asLong()).isEqualTo(1);
    assertThat(l.path("priorities").get(1).path("priority").asText()).isEqualTo("bulk");
    assertThat(l.path("priorities").get(1).path("jobs").asLong()).isEqualTo(2);
    assertThat(l.path("maxLiveWorkerTokens").asInt()).isEqualTo(4_096);
    assertThat(l.path("oversizeTotal").asLong()).isEqualTo(1);
    JsonNode job = l.path("oversize").get(0);
    assertThat(job.path("symbols").get(0).asText()).isEqualTo("huge");
    assertThat(job.path("path").asText()).isEqualTo("big.py");
    assertThat(job.path("minMaxTokens").asInt()).isEqualTo(12_000);
    assertThat(job.path("cutToTokens").isNull())
        .as("enqueued whole, it runs whole on a worker that takes it")
        .isTrue();
  }

  @Test
  void aSpanLargerThanADefaultWorkerIsListedAsRunningCutNotAsWaiting() {
    seed.repo("/srv/app").file("test_big.py");
    long huge = seed.span("TestEverything", 1, 3000).spanId();
    seed.job(j -> j.kind("single").status("enqueued").tokens(8_192).spans(huge));
    setSpanTokens(seed.jobId(), 8_600);
    seed.worker("default", w -> w.maxTokens(8_192));

    JsonNode l = http.json("/api/lineup");

    assertThat(l.path("oversizeTotal").asLong()).isZero();
    assertThat(l.path("cutTotal").asLong()).isEqualTo(1);
    JsonNode job = l.path("cut").get(0);
    assertThat(job.path("symbols").get(0).asText()).isEqualTo("TestEverything");
    assertThat(job.path("minMaxTokens").asInt()).isEqualTo(8_192);
    assertThat(job.path("wholeMaxTokens").asInt()).isEqualTo(8_600 + 624 + 368);
    assertThat(job.path("cutToTokens").asInt()).isEqualTo(8_192 - 624 - 368);
  }

  private void setSpanTokens(java.util.UUID id, int spanTokens) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("update jobs set span_tokens = ? where id = ?")) {
            ps.setInt(1, spanTokens);
            ps.setObject(2, id);
            ps.executeUpdate();
          }
        });
  }

  private void setInteractive(java.util.UUID id) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("update jobs set priority = 'interactive' where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
          }
        });
  }
}
