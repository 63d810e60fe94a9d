package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.enrich.EnrichFixtures;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.Span;
import io.codegloss.worker.enrich.BatchParseResult;
import io.codegloss.worker.enrich.BatchParser;
import io.codegloss.worker.enrich.Prompt;
import io.codegloss.worker.enrich.PromptBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

  /** The JSON schema a chat request carries for constrained decoding. */
  abstract JsonNode postedSchema(JsonNode body);

  /** The output cap a chat request carries. */
  abstract int postedOutputCap(JsonNode body);

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
  void sendsTheProseBatchPromptWithItsSchemaAndTheAnswerLandsOnEachSpan() throws Exception {
    List<Span> spans = List.of(EnrichFixtures.SET_EMAIL, EnrichFixtures.VALIDATE_EMAIL);
    Prompt p = PromptBuilder.batch(spans, EnrichFixtures.USER_FACTS, List.of());
    // Items out of order: they are matched by span_index.
    String answer =
        "{\"items\":[{\"span_index\":2,\"summary_120w\":\"Checks that the address has an @"
            + " sign.\",\"pitfalls\":[],\"inputs\":[\"email: the address to check\"],"
            + "\"outputs\":[\"True when it looks like an address\"],\"side_effects\":[]},"
            + "{\"span_index\":1,\"summary_120w\":\"Stores the address once validate_email"
            + " accepts it.\",\"pitfalls\":[\"only an @ check\"],\"inputs\":[\"email: the new"
            + " address\"],\"outputs\":[],\"side_effects\":[\"self._email: replaced\"]}]}";
    routes.chat.add(ok(answer));

    LlmResponse r =
        backend()
            .complete(
                new LlmRequest(
                    p.system(),
                    p.user(),
                    EnrichmentSchema.batch(2),
                    JobSizing.outputCap(2),
                    Duration.ofSeconds(20)));

    JsonNode body = routes.chatBody(0);
    JsonNode schema = postedSchema(body);
    assertThat(schema).isEqualTo(EnrichmentSchema.batchNode(2));
    JsonNode items = schema.path("properties").path("items");
    assertThat(items.path("minItems").asInt()).isEqualTo(2);
    assertThat(items.path("maxItems").asInt()).isEqualTo(2);
    JsonNode item = items.path("items");
    assertThat(item.path("properties").path("span_index").path("enum").toString())
        .isEqualTo("[1,2]");
    List<String> fields = new ArrayList<>();
    item.path("properties").fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "span_index", "summary_120w", "pitfalls", "inputs", "outputs", "side_effects");
    assertThat(postedOutputCap(body)).isEqualTo(JobSizing.outputCap(2));
    assertThat(body.toString())
        .contains("=== SPAN 2: app/user.py:18-19 (method User.validate_email) ===")
        .contains("params: email: str");

    BatchParseResult parsed = BatchParser.parse(r.text(), spans, EnrichFixtures.USER_FACTS);
    assertThat(parsed.valid()).hasSize(2);
    assertThat(parsed.valid().get(0).enrichment().sideEffects())
        .containsExactly("self._email: replaced");
    assertThat(parsed.valid().get(1).enrichment().outputs())
        .containsExactly("True when it looks like an address");
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
