package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

class OllamaBackendTest extends HttpBackendFaultsTest {

  @Override
  JsonNode postedSchema(JsonNode body) {
    return body.path("format");
  }

  @Override
  int postedOutputCap(JsonNode body) {
    return body.path("options").path("num_predict").asInt();
  }

  @Override
  String chatPath() {
    return "/api/chat";
  }

  @Override
  Map<String, String> pointAt(String baseUrl) {
    return Map.of("CODEGLOSS_BACKEND", "ollama", "OLLAMA_HOST", baseUrl);
  }

  static String answer(String text, String doneReason, int evalCount) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("model", "test-model");
    n.put("created_at", "2025-06-01T10:00:00.000000Z");
    n.putObject("message").put("role", "assistant").put("content", text);
    n.put("done", true);
    n.put("done_reason", doneReason);
    n.put("total_duration", 5_000_000_000L);
    n.put("load_duration", 1_000_000L);
    n.put("prompt_eval_count", 26);
    n.put("prompt_eval_duration", 100_000_000L);
    n.put("eval_count", evalCount);
    n.put("eval_duration", 4_000_000_000L);
    return Json.write(n);
  }

  @Override
  MockResponse ok(String text) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json; charset=utf-8")
        .body(answer(text, "stop", 12))
        .build();
  }

  @Override
  MockResponse stoppedAtCap(String text, int tokens) {
    return new MockResponse.Builder().body(answer(text, "length", tokens)).build();
  }

  /** Ollama with truncate=false, on a model whose runner is llama.cpp's server. */
  @Override
  MockResponse overflow() {
    return new MockResponse.Builder()
        .code(400)
        .body(
            "{\"error\":\"{\\\"error\\\":{\\\"code\\\":400,\\\"message\\\":\\\"request (8889 tokens)"
                + " exceeds the available context size (8192 tokens), try increasing it\\\","
                + "\\\"type\\\":\\\"exceed_context_size_error\\\",\\\"n_prompt_tokens\\\":8889,"
                + "\\\"n_ctx\\\":8192}}\"}")
        .build();
  }

  @Test
  void postsTheDocumentedChatRequest() throws Exception {
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    LlmResponse r =
        backend(Map.of("CODEGLOSS_OLLAMA_KEEP_ALIVE", "1h", "CODEGLOSS_CONTEXT", "4096"))
            .complete(request());

    JsonNode body = routes.chatBody(0);
    assertThat(routes.chatRequests.get(0).getMethod()).isEqualTo("POST");
    assertThat(body.path("model").asText()).isEqualTo("test-model");
    assertThat(body.path("stream").asBoolean(true)).isFalse();
    assertThat(body.path("keep_alive").asText()).isEqualTo("1h");
    assertThat(body.path("format")).isEqualTo(Json.MAPPER.readTree(SCHEMA));
    assertThat(body.path("options").path("num_ctx").asInt()).isEqualTo(4096);
    assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(200);
    assertThat(body.path("options").path("temperature").asDouble(-1)).isZero();
    assertThat(body.path("truncate").asBoolean(true)).isFalse();
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(body.path("messages").get(0).path("content").asText())
        .isEqualTo("Describe the code.");
    assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("def f(): pass");
    assertThat(r.promptTokens()).isEqualTo(26);
    assertThat(r.completionTokens()).isEqualTo(12);
  }

  @Test
  void readsOllamaHostWithoutASchemeTheWayTheOllamaCliDoes() {
    routes.chat.add(ok("{\"summary\":\"x\"}"));
    Map<String, String> m =
        Map.of(
            "CODEGLOSS_BACKEND", "ollama",
            "OLLAMA_HOST", "0.0.0.0:" + server.getPort(),
            "CODEGLOSS_MODEL", "m");

    LlmResponse r =
        LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home")).complete(request());

    assertThat(r.text()).isEqualTo("{\"summary\":\"x\"}");
    assertThat(LlmSettings.ollamaHost("")).isEqualTo("http://127.0.0.1:11434");
    assertThat(LlmSettings.ollamaHost("gpu-box")).isEqualTo("http://gpu-box:11434");
    assertThat(LlmSettings.ollamaHost("https://ollama.example.com"))
        .isEqualTo("https://ollama.example.com:443");
  }

  @Test
  void anOlderOllamasInputLengthRefusalIsAlsoAContextOverflow() {
    routes.chat.add(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":\"the input length exceeds the context length\"}")
            .build());

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("context overflow")
        .hasMessageContaining("input length exceeds the context length");
    assertThat(routes.chatCalls()).isEqualTo(1);
  }

  @Test
  void aGoContextDeadlineIsATransientFaultNotAnOverflow() {
    routes.chat.add(
        new MockResponse.Builder()
            .code(500)
            .body("{\"error\":\"context deadline exceeded\"}")
            .build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    assertThat(backend().complete(request()).attempts()).isEqualTo(2);
  }

  @Test
  void countsTokensWithAConservativeEstimateForLackOfATokenizer() {
    LlmBackend b = backend();

    assertThat(b.exactTokenCounts()).isFalse();
    // 31 other characters at two a token, and the five digits one each
    assertThat(b.countTokens("def add(a, b): return a + b  # 12345")).isEqualTo(21);
  }
}
