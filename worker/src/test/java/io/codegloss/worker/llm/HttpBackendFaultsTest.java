package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults every HTTP backend meets, injected with MockWebServer: the same expectations hold for
 * Ollama and for OpenAI-compatible servers. Subclasses say how a good answer looks.
 */
abstract class HttpBackendFaultsTest {

  static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"}},"
          + "\"required\":[\"summary\"],\"additionalProperties\":false}";

  MockWebServer server;
  Routes routes;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    routes = new Routes(chatPath());
    server.setDispatcher(routes);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** The path completions are POSTed to. */
  abstract String chatPath();

  /** The settings that point the backend at {@code baseUrl} (scheme://host:port). */
  abstract Map<String, String> pointAt(String baseUrl);

  /** A 200 answer carrying {@code text} that ended normally. */
  abstract MockResponse ok(String text);

  /** A 200 answer cut at the output cap after {@code tokens} tokens. */
  abstract MockResponse stoppedAtCap(String text, int tokens);

  /** The server's way of refusing a prompt that does not fit its context. */
  abstract MockResponse overflow();

  LlmBackend backend(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(pointAt(base()));
    m.put("CODEGLOSS_LLM_BACKOFF_MILLIS", "10");
    m.put("CODEGLOSS_LLM_MAX_ATTEMPTS", "3");
    m.put("CODEGLOSS_MODEL", "test-model");
    m.putAll(extra);
    return LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home"));
  }

  LlmBackend backend() {
    return backend(Map.of());
  }

  String base() {
    return "http://127.0.0.1:" + server.getPort();
  }

  static LlmRequest request() {
    return request(Duration.ofSeconds(20));
  }

  static LlmRequest request(Duration timeout) {
    return new LlmRequest("Describe the code.", "def f(): pass", SCHEMA, 200, timeout);
  }

  @Test
  void returnsTheAnswerOfAHealthyServerInOneAttempt() {
    routes.chat.add(ok("{\"summary\":\"does nothing\"}"));

    LlmResponse r = backend().complete(request());

    assertThat(r.text()).isEqualTo("{\"summary\":\"does nothing\"}");
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.wallMillis()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void retriesA500AndReturnsTheNextGoodAnswer() {
    routes.chat.add(new MockResponse.Builder().code(500).body("{\"error\":\"boom\"}").build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    LlmResponse r = backend().complete(request());

    assertThat(r.attempts()).isEqualTo(2);
    assertThat(routes.chatCalls()).isEqualTo(2);
  }

  @Test
  void givesUpAsRetryableAfterTheConfiguredAttemptsOf5xx() {
    for (int i = 0; i < 5; i++) {
      routes.chat.add(new MockResponse.Builder().code(503).body("overloaded").build());
    }

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("gave up after 3 attempt(s)")
        .hasMessageContaining("HTTP 503")
        .hasMessageNotContaining("\n");
    assertThat(routes.chatCalls()).isEqualTo(3);
  }

  @Test
  void waitsOutRetryAfterOnA429() {
    routes.chat.add(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "1")
            .body("slow down")
            .build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    long start = System.nanoTime();
    LlmResponse r = backend().complete(request());
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.attempts()).isEqualTo(2);
    assertThat(ms).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aRetryAfterLongerThanTheLimitIsRetryableAtOnce() {
    routes.chat.add(
        new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").body("{}").build());

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("retry after 3600 s");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  @Test
  void aSilentServerTimesOutOnTheRequestsDeadlineAndIsRetried() {
    for (int i = 0; i < 3; i++) {
      routes.chat.add(
          new MockResponse.Builder()
              .headersDelay(5, TimeUnit.SECONDS)
              .body("{\"summary\":\"late\"}")
              .build());
    }

    long start = System.nanoTime();
    assertThatThrownBy(() -> backend().complete(request(Duration.ofMillis(400))))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("gave up after 3 attempt(s)");
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(ms).isLessThan(4000);
    assertThat(routes.chatCalls()).isEqualTo(3);
  }

  @Test
  void theTimeoutSettingOverridesTheRequestsDeadline() {
    routes.chat.add(
        new MockResponse.Builder().headersDelay(1500, TimeUnit.MILLISECONDS).body("{}").build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    LlmResponse r =
        backend(Map.of("CODEGLOSS_LLM_TIMEOUT_SECONDS", "1"))
            .complete(request(Duration.ofHours(1)));

    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void aRefusedConnectionIsRetryableAndNamesTheCause() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> m = new HashMap<>(pointAt("http://127.0.0.1:" + closedPort));
    m.put("CODEGLOSS_LLM_BACKOFF_MILLIS", "10");
    m.put("CODEGLOSS_LLM_MAX_ATTEMPTS", "2");
    m.put("CODEGLOSS_MODEL", "test-model");
    LlmBackend b = LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home"));

    assertThatThrownBy(() -> b.complete(request()))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("gave up after 2 attempt(s)")
        .hasMessageContaining("connection refused");
  }

  @Test
  void aContextOverflowIsPermanentAndNotRetried() {
    routes.chat.add(overflow());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("context overflow");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  @Test
  void aPromptThatCannotFitIsRefusedBeforeAnythingIsSent() {
    String huge = "x = 1\n".repeat(20_000);
    LlmRequest r = new LlmRequest("sys", huge, SCHEMA, 500, Duration.ofSeconds(5));

    assertThatThrownBy(() -> backend().complete(r))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("exceeds the context window of 8192");
    assertThat(routes.chatCalls()).isZero();
  }

  @Test
  void anAnswerStoppedAtTheOutputCapIsATruncationFailure() {
    routes.chat.add(stoppedAtCap("{\"summary\":\"and then", 200));

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("truncated at 200 tokens");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  @Test
  void aBodyCutShortByADroppedConnectionIsRetried() {
    routes.chat.add(cut(ok("{\"summary\":\"a long answer that never arrives whole\"}")));
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    LlmResponse r = backend().complete(request());

    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.text()).isEqualTo("{\"summary\":\"x\"}");
  }

  @Test
  void anEmptyAnswerIsRetried() {
    routes.chat.add(new MockResponse.Builder().body("").build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    assertThat(backend().complete(request()).attempts()).isEqualTo(2);
  }

  @Test
  void aBodyThatIsNotJsonIsPermanent() {
    routes.chat.add(
        new MockResponse.Builder()
            .setHeader("Content-Type", "text/html")
            .body("<html><body>Welcome to nginx!</body></html>")
            .build());

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("not JSON");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  @Test
  void anUnknownModelIsPermanentAndNotRetried() {
    routes.chat.add(
        new MockResponse.Builder()
            .code(404)
            .body("{\"error\":\"model 'test-model' not found, try pulling it first\"}")
            .build());

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("model 'test-model' not found");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  /** The headers promise the whole body; the connection drops after part of it. */
  static MockResponse cut(MockResponse whole) {
    return new MockResponse.Builder(whole)
        .throttleBody(8, 50, TimeUnit.MILLISECONDS)
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
        .build();
  }
}
