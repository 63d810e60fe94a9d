package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codegloss.core.db.Database;
import io.codegloss.testing.TestDatabase;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DashboardAuthTest {

  private static final String USER = "ops";
  private static final String PASSWORD = "correct-horse-battery";
  private static final List<String> ROUTES =
      List.of(
          "/",
          "/assets/dashboard.js",
          "/assets/dashboard.css",
          "/api/summary",
          "/api/queue",
          "/api/throughput",
          "/api/workers",
          "/api/savings",
          "/api/failures",
          "/api/snapshot",
          "/api/config",
          "/api/events",
          "/spans",
          "/assets/spans.js",
          "/api/search?q=x",
          "/api/spans/1",
          "/no-such-page");

  private TestDatabase testDb;
  private Database db;
  private DashboardServer server;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() {
    logs = new ListAppender<>();
    logs.start();
    root().addAppender(logs);
    testDb = TestDatabase.fresh();
    db = testDb.database();
    server =
        new DashboardServer(
                db, new DashboardSettings(0, 45, "http://localhost:8000", 1, USER, PASSWORD))
            .start(0);
  }

  @AfterEach
  void stop() {
    server.stop();
    testDb.close();
    root().detachAppender(logs);
  }

  @Test
  void withAPasswordSetEveryRouteRefusesAnonymousAndWrongCredentials() {
    Http anonymous = new Http(server.port());
    Http wrong = new Http(server.port(), USER, "guess");
    Http wrongUser = new Http(server.port(), "admin", PASSWORD);
    for (String route : ROUTES) {
      HttpResponse<String> r = anonymous.get(route);
      assertThat(r.statusCode()).as("anonymous " + route).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .as(route)
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
      assertThat(r.body()).doesNotContain("progress-percent").doesNotContain("\"repositories\"");
      assertThat(wrong.get(route).statusCode()).as("wrong password " + route).isEqualTo(401);
      assertThat(wrongUser.get(route).statusCode()).as("wrong user " + route).isEqualTo(401);
    }
  }

  @Test
  void theRightCredentialsOpenThePageTheApiAndTheEventStream() throws Exception {
    Http ops = new Http(server.port(), USER, PASSWORD);
    for (String route : ROUTES) {
      if (route.equals("/api/events")) {
        HttpResponse<InputStream> events =
            ops.client()
                .send(ops.request(route).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        events.body().close();
      } else if (route.equals("/no-such-page") || route.equals("/api/spans/1")) {
        // authenticated, then not found: the empty database has no span 1
        assertThat(ops.get(route).statusCode()).isEqualTo(404);
      } else {
        assertThat(ops.get(route).statusCode()).as(route).isEqualTo(200);
      }
    }
  }

  @Test
  void credentialsNeverReachTheLog() {
    new Http(server.port(), USER, PASSWORD).get("/api/summary");
    new Http(server.port(), USER, "wrong-" + PASSWORD).get("/api/summary");
    new Http(server.port()).get("/");

    String token =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap();
      assertThat(line).doesNotContain(PASSWORD).doesNotContain(token);
    }
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
