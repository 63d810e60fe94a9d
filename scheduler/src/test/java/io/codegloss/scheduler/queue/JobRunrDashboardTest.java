package io.codegloss.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JobRunr's real dashboard handlers behind our server, talked to over a socket on 127.0.0.1. */
class JobRunrDashboardTest {

  private static final String USER = "ops";
  private static final String PASSWORD = "s3cret-enough";

  private InMemoryStorageProvider storage;
  private JobRunrDashboard dashboard;

  @BeforeEach
  void start() {
    JacksonJsonMapper json = new JacksonJsonMapper();
    storage = new InMemoryStorageProvider();
    storage.setJobMapper(new JobMapper(json));
    dashboard = new JobRunrDashboard(storage, json, "127.0.0.1", 0, USER, PASSWORD);
    dashboard.start();
  }

  @AfterEach
  void stop() {
    dashboard.close();
  }

  private UUID failedJob() {
    Job job =
        new Job(
            new JobDetails("java.lang.System", null, "lineSeparator", List.of()),
            new FailedState("boom", new IllegalStateException("boom")));
    return storage.save(job).getId();
  }

  @Test
  void bindsLoopbackOnly() {
    assertThat(dashboard.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void requeueAndDeleteNeedTheCredentials() throws IOException {
    UUID id = failedJob();
    assertThat(status(send("POST", "/api/jobs/" + id + "/requeue", "localhost", null, null)))
        .isEqualTo(401);
    assertThat(status(send("DELETE", "/api/jobs/" + id, "localhost", null, null))).isEqualTo(401);
    assertThat(storage.getJobById(id).getState()).isEqualTo(StateName.FAILED);

    assertThat(status(send("POST", "/api/jobs/" + id + "/requeue", "localhost", auth(), null)))
        .isBetween(200, 299);
    assertThat(storage.getJobById(id).getState()).isEqualTo(StateName.ENQUEUED);
    assertThat(status(send("DELETE", "/api/jobs/" + id, "localhost", auth(), null)))
        .isBetween(200, 299);
    assertThat(storage.getJobById(id).getState()).isEqualTo(StateName.DELETED);
  }

  @Test
  void pagesAndReadsNeedTheCredentialsToo() throws IOException {
    for (String path : List.of("/dashboard", "/api/jobs?state=FAILED", "/sse/jobstats")) {
      assertThat(status(send("GET", path, "localhost", null, null))).as(path).isEqualTo(401);
    }
    assertThat(status(send("GET", "/api/jobs?state=FAILED", "localhost", auth(), null)))
        .isEqualTo(200);
    // JobRunr's own page is served, so the handlers are mounted where its frontend expects them.
    String page = send("GET", "/dashboard", "localhost", auth(), null);
    assertThat(status(page)).isEqualTo(200);
    assertThat(page.toLowerCase()).contains("content-type: text/html");
  }

  @Test
  void aCrossSiteFormPostIsRefusedEvenWithCachedCredentials() throws IOException {
    UUID id = failedJob();
    String r =
        send("POST", "/api/jobs/" + id + "/requeue", "localhost", auth(), "http://evil.example");
    assertThat(status(r)).isEqualTo(403);
    assertThat(storage.getJobById(id).getState()).isEqualTo(StateName.FAILED);
    // The page's own requests name its origin and pass.
    assertThat(
            status(
                send(
                    "POST",
                    "/api/jobs/" + id + "/requeue",
                    "localhost",
                    auth(),
                    "http://localhost:" + dashboard.address().getPort())))
        .isBetween(200, 299);
  }

  @Test
  void aForeignHostHeaderIsRefused() throws IOException {
    assertThat(status(send("GET", "/dashboard", "rebound.evil.example", auth(), null)))
        .isEqualTo(403);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws IOException {
    for (String r :
        List.of(
            send("GET", "/dashboard", "localhost", null, null),
            send("GET", "/api/jobs?state=FAILED", "localhost", auth(), null),
            send("GET", "/dashboard", "evil.example", null, null))) {
      String lower = r.toLowerCase();
      assertThat(lower).contains("\ncontent-security-policy: default-src 'self'");
      assertThat(lower).contains("\nx-frame-options: deny");
      assertThat(lower).contains("\nx-content-type-options: nosniff");
    }
  }

  @Test
  void settingsRefuseAnOpenNetworkBindAndHalfSetCredentials() {
    assertThatThrownBy(
            () ->
                SchedulerSettings.from(
                    Settings.of(Map.of(SchedulerSettings.JOBRUNR_HOST, "0.0.0.0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchedulerSettings.JOBRUNR_HOST)
        .hasMessageContaining(SchedulerSettings.JOBRUNR_DASHBOARD_OPEN);
    assertThatThrownBy(
            () ->
                SchedulerSettings.from(
                    Settings.of(Map.of(SchedulerSettings.DASHBOARD_USER, "ops"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchedulerSettings.DASHBOARD_PASSWORD);
    assertThatThrownBy(
            () ->
                SchedulerSettings.from(
                    Settings.of(Map.of(SchedulerSettings.DASHBOARD_PASSWORD, "pw"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchedulerSettings.DASHBOARD_USER);
    assertThat(
            SchedulerSettings.from(
                    Settings.of(
                        Map.of(
                            SchedulerSettings.JOBRUNR_HOST,
                            "0.0.0.0",
                            SchedulerSettings.JOBRUNR_DASHBOARD_OPEN,
                            "on")))
                .jobrunrHost())
        .isEqualTo("0.0.0.0");
    assertThat(SchedulerSettings.from(Settings.of(Map.of())).jobrunrHost()).isEqualTo("127.0.0.1");
  }

  private static String auth() {
    return Base64.getEncoder()
        .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private static int status(String response) {
    return RawHttp.status(response);
  }

  /** A raw request, because java.net.http will not send a Host header of our choosing. */
  private String send(String method, String path, String host, String basic, String origin)
      throws IOException {
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    req.append("Host: ").append(host).append("\r\n");
    if (basic != null) {
      req.append("Authorization: Basic ").append(basic).append("\r\n");
    }
    if (origin != null) {
      req.append("Origin: ").append(origin).append("\r\n");
    }
    req.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
    // Status line and headers are enough; SSE bodies never end.
    return RawHttp.head(dashboard.address().getPort(), req.toString());
  }
}
