package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.testing.RawHttp;
import io.codegloss.testing.TestDatabase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's exposure: bind address, Host check, headers, refused settings. */
class DashboardSecurityTest {

  private static TestDatabase testDb;
  private static DashboardServer server;

  @BeforeAll
  static void start() {
    testDb = TestDatabase.fresh();
    // Port 0 through the settings, so the default host is the one a real run gets.
    DashboardSettings settings =
        DashboardSettings.from(Settings.of(Map.of(DashboardSettings.PORT, "0")));
    server = new DashboardServer(testDb.database(), settings).start(0);
  }

  @AfterAll
  static void stop() {
    server.stop();
    testDb.close();
  }

  @Test
  void bindsLoopbackByDefault() {
    assertThat(server.boundAddress().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.boundAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void aForeignHostHeaderIsRefusedAndTheBoundNamesAreServed() throws IOException {
    assertThat(status(get("/api/summary", "rebound.evil.example"))).isEqualTo(403);
    assertThat(status(get("/", "evil.example:" + server.port()))).isEqualTo(403);
    // HTTP/1.1 without Host: Jetty answers 400 before any handler.
    assertThat(status(get("/api/summary", null))).isIn(400, 403);
    assertThat(status(get("/api/summary", "localhost:" + server.port()))).isEqualTo(200);
    assertThat(status(get("/", "127.0.0.1:" + server.port()))).isEqualTo(200);
    assertThat(status(get("/", "localhost"))).isEqualTo(200);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws IOException {
    for (String r :
        List.of(
            get("/", "localhost"),
            get("/api/summary", "localhost"),
            get("/assets/dashboard.js", "localhost"),
            get("/no-such-page", "localhost"),
            get("/api/failures?limit=x", "localhost"),
            get("/", "evil.example"))) {
      String lower = r.toLowerCase();
      assertThat(lower).as(r).contains("\ncontent-security-policy: default-src 'self'");
      assertThat(lower).as(r).contains("\nx-frame-options: deny");
      assertThat(lower).as(r).contains("\nx-content-type-options: nosniff");
    }
  }

  @Test
  void aNetworkBindNeedsCredentialsOrTheOpenSetting() {
    assertThatThrownBy(
            () -> DashboardSettings.from(Settings.of(Map.of(DashboardSettings.HOST, "0.0.0.0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(DashboardSettings.HOST)
        .hasMessageContaining(DashboardSettings.OPEN);
    assertThat(
            DashboardSettings.from(
                    Settings.of(
                        Map.of(DashboardSettings.HOST, "0.0.0.0", DashboardSettings.OPEN, "on")))
                .host())
        .isEqualTo("0.0.0.0");
    assertThat(
            DashboardSettings.from(
                    Settings.of(
                        Map.of(
                            DashboardSettings.HOST,
                            "0.0.0.0",
                            DashboardSettings.USER,
                            "ops",
                            DashboardSettings.PASSWORD,
                            "pw")))
                .authRequired())
        .isTrue();
    assertThatThrownBy(
            () -> DashboardSettings.from(Settings.of(Map.of(DashboardSettings.USER, "ops"))))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void extraHostNamesAreAcceptedOnlyWhenConfigured() throws IOException {
    DashboardSettings settings =
        DashboardSettings.from(
            Settings.of(
                Map.of(
                    DashboardSettings.PORT, "0",
                    DashboardSettings.HOST_NAMES, "dash.example, Ops.Internal")));
    assertThat(settings.hostNames()).containsExactly("dash.example", "Ops.Internal");
    try (DashboardServer named = new DashboardServer(testDb.database(), settings).start(0)) {
      assertThat(status(get(named.port(), "/api/summary", "ops.internal:" + named.port())))
          .isEqualTo(200);
      assertThat(status(get(named.port(), "/api/summary", "dash.example"))).isEqualTo(200);
      assertThat(status(get(named.port(), "/api/summary", "other.example"))).isEqualTo(403);
    }
  }

  private static int status(String response) {
    return RawHttp.status(response);
  }

  /** A raw request, because java.net.http will not send a Host header of our choosing. */
  private static String get(String path, String host) throws IOException {
    return get(server.port(), path, host);
  }

  private static String get(int port, String path, String host) throws IOException {
    return RawHttp.head(
        port,
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + (host == null ? "" : "Host: " + host + "\r\n")
            + "Connection: close\r\n\r\n");
  }
}
