package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Text continuations over HTTP: the request each server expects, and its faults. */
class ContinueTextHttpTest {

  static final TextRequest REQUEST =
      new TextRequest(
          "def add(a, b):\n    return a + b\n\ndef add(a, b):\n    \"\"\"",
          48,
          List.of("\"\"\"", "\n\n"),
          Duration.ofSeconds(20));

  MockWebServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  String base() {
    return "http://127.0.0.1:" + server.getPort();
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Nested
  class OpenAiCompatible {

    final Routes routes = new Routes("/v1/completions");

    LlmBackend started() throws IOException {
      server.setDispatcher(routes);
      server.start();
      Map<String, String> m = new HashMap<>();
      m.put("CODEGLOSS_BACKEND", "openai");
      m.put("OPENAI_BASE_URL", base() + "/v1");
      m.put("CODEGLOSS_LLM_BACKOFF_MILLIS", "10");
      m.put("CODEGLOSS_MODEL", "test-model");
      return LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home"));
    }

    String answer(String text, String finish) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("object", "text_completion");
      ObjectNode c = n.putArray("choices").addObject();
      c.put("index", 0);
      c.put("text", text);
      c.put("finish_reason", finish);
      n.putObject("usage").put("prompt_tokens", 25).put("completion_tokens", 7);
      return Json.write(n);
    }

    @Test
    void postsThePromptAsIsWithTheCapTheStopStringsAndGreedyDecoding() throws Exception {
      routes.chat.add(json(answer("Adds two numbers.", "stop")));

      LlmResponse r = started().continueText(REQUEST);

      JsonNode body = routes.chatBody(0);
      assertThat(body.path("model").asText()).isEqualTo("test-model");
      assertThat(body.path("prompt").asText()).isEqualTo(REQUEST.prompt());
      assertThat(body.path("max_tokens").asInt()).isEqualTo(48);
      assertThat(body.path("temperature").asDouble(-1)).isZero();
      assertThat(body.path("seed").asInt(-1)).isZero();
      assertThat(body.path("stream").asBoolean(true)).isFalse();
      assertThat(body.path("stop").get(0).asText()).isEqualTo("\"\"\"");
      assertThat(body.path("stop").get(1).asText()).isEqualTo("\n\n");
      assertThat(body.has("messages")).isFalse();
      assertThat(body.has("response_format")).isFalse();
      assertThat(r.text()).isEqualTo("Adds two numbers.");
      assertThat(r.finishReason()).isEqualTo("stop");
      assertThat(r.promptTokens()).isEqualTo(25);
      assertThat(r.completionTokens()).isEqualTo(7);
    }

    @Test
    void aContinuationCutAtTheCapComesBackAsLengthNotAsAFailure() throws Exception {
      routes.chat.add(json(answer("Adds two numbers. Then it", "length")));

      LlmResponse r = started().continueText(REQUEST);

      assertThat(r.finishReason()).isEqualTo("length");
      assertThat(r.text()).isEqualTo("Adds two numbers. Then it");
    }

    @Test
    void aStopStringTheServerLeftInTheTextIsCutWithWhatFollows() throws Exception {
      routes.chat.add(json(answer("Adds two numbers.\"\"\"\n    return", "stop")));

      assertThat(started().continueText(REQUEST).text()).isEqualTo("Adds two numbers.");
    }

    @Test
    void retriesA500AndReturnsTheNextAnswer() throws Exception {
      routes.chat.add(new MockResponse.Builder().code(500).body("{\"error\":\"boom\"}").build());
      routes.chat.add(json(answer("Adds.", "stop")));

      LlmResponse r = started().continueText(REQUEST);

      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.text()).isEqualTo("Adds.");
    }

    @Test
    void givesUpAsRetryableAfterThreeAttemptsOf5xx() throws Exception {
      for (int i = 0; i < 3; i++) {
        routes.chat.add(new MockResponse.Builder().code(503).body("overloaded").build());
      }
      LlmBackend b = started();

      assertThatThrownBy(() -> b.continueText(REQUEST))
          .isInstanceOf(RetryableException.class)
          .hasMessageContaining("gave up after 3 attempt(s)");
    }

    @Test
    void anAnswerWithoutTextIsAPermanentFailure() throws Exception {
      routes.chat.add(json("{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
      LlmBackend b = started();

      assertThatThrownBy(() -> b.continueText(REQUEST))
          .isInstanceOf(PermanentException.class)
          .hasMessageContaining("no choices[0].text");
    }

    @Test
    void aContextOverflowIsPermanent() throws Exception {
      routes.chat.add(
          new MockResponse.Builder()
              .code(400)
              .body("{\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"too long\"}}")
              .build());
      LlmBackend b = started();

      assertThatThrownBy(() -> b.continueText(REQUEST))
          .isInstanceOf(PermanentException.class)
          .hasMessageContaining("context overflow");
    }
  }

  @Nested
  class Ollama {

    final Routes routes = new Routes("/api/generate");

    LlmBackend started() throws IOException {
      server.setDispatcher(routes);
      server.start();
      return LlmBackends.create(
          Settings.of(
              Map.of(
                  "CODEGLOSS_BACKEND", "ollama",
                  "OLLAMA_HOST", base(),
                  "CODEGLOSS_LLM_BACKOFF_MILLIS", "10",
                  "CODEGLOSS_MODEL", "test-model")),
          Path.of("/nonexistent-home"));
    }

    String answer(String text, String doneReason) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("model", "test-model");
      n.put("response", text);
      n.put("done", true);
      n.put("done_reason", doneReason);
      n.put("prompt_eval_count", 25);
      n.put("eval_count", 7);
      return Json.write(n);
    }

    @Test
    void postsARawGenerateWithTheCapTheStopStringsAndTheContextWindow() throws Exception {
      routes.chat.add(json(answer("Adds two numbers.", "stop")));

      LlmResponse r = started().continueText(REQUEST);

      JsonNode body = routes.chatBody(0);
      assertThat(body.path("model").asText()).isEqualTo("test-model");
      assertThat(body.path("prompt").asText()).isEqualTo(REQUEST.prompt());
      assertThat(body.path("raw").asBoolean()).isTrue();
      assertThat(body.path("stream").asBoolean(true)).isFalse();
      assertThat(body.path("keep_alive").asText()).isEqualTo("30m");
      JsonNode o = body.path("options");
      assertThat(o.path("num_predict").asInt()).isEqualTo(48);
      assertThat(o.path("num_ctx").asInt()).isEqualTo(8192);
      assertThat(o.path("temperature").asDouble(-1)).isZero();
      assertThat(o.path("seed").asInt(-1)).isZero();
      assertThat(o.path("stop").get(0).asText()).isEqualTo("\"\"\"");
      assertThat(body.has("format")).isFalse();
      assertThat(r.text()).isEqualTo("Adds two numbers.");
      assertThat(r.finishReason()).isEqualTo("stop");
      assertThat(r.promptTokens()).isEqualTo(25);
      assertThat(r.completionTokens()).isEqualTo(7);
    }

    @Test
    void aContinuationCutAtTheCapComesBackAsLength() throws Exception {
      routes.chat.add(json(answer("Adds two numbers and", "length")));

      assertThat(started().continueText(REQUEST).finishReason()).isEqualTo("length");
    }

    @Test
    void retriesA500AndReturnsTheNextAnswer() throws Exception {
      routes.chat.add(new MockResponse.Builder().code(500).body("{\"error\":\"busy\"}").build());
      routes.chat.add(json(answer("Adds.", "stop")));

      LlmResponse r = started().continueText(REQUEST);

      assertThat(r.attempts()).isEqualTo(2);
      assertThat(routes.chatCalls()).isEqualTo(2);
    }

    @Test
    void anUnknownModelIsAPermanentFailure() throws Exception {
      routes.chat.add(
          new MockResponse.Builder()
              .code(404)
              .body("{\"error\":\"model 'test-model' not found\"}")
              .build());
      LlmBackend b = started();

      assertThatThrownBy(() -> b.continueText(REQUEST))
          .isInstanceOf(PermanentException.class)
          .hasMessageContaining("not found");
    }

    @Test
    void aPromptLargerThanTheContextIsRefusedBeforeSending() throws Exception {
      LlmBackend b = started();
      TextRequest huge =
          new TextRequest("x = 1\n".repeat(20_000), 48, List.of(), Duration.ofSeconds(5));

      assertThatThrownBy(() -> b.continueText(huge))
          .isInstanceOf(PermanentException.class)
          .hasMessageContaining("exceeds the context window");
      assertThat(routes.chatCalls()).isZero();
    }
  }
}
