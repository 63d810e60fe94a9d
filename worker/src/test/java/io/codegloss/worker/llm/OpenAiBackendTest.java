package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

class OpenAiBackendTest extends HttpBackendFaultsTest {

  @Override
  JsonNode postedSchema(JsonNode body) {
    return body.path("response_format").path("json_schema").path("schema");
  }

  @Override
  int postedOutputCap(JsonNode body) {
    return body.path("max_tokens").asInt();
  }

  @Override
  String chatPath() {
    return "/v1/chat/completions";
  }

  @Override
  Map<String, String> pointAt(String baseUrl) {
    return Map.of("CODEGLOSS_BACKEND", "openai", "OPENAI_BASE_URL", baseUrl + "/v1");
  }

  static String answer(String text, String finishReason, int completionTokens) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", "chatcmpl-1");
    n.put("object", "chat.completion");
    n.put("model", "test-model");
    ObjectNode choice = n.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", finishReason);
    n.putObject("usage")
        .put("prompt_tokens", 31)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", 31 + completionTokens);
    return Json.write(n);
  }

  @Override
  MockResponse ok(String text) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body(answer(text, "stop", 9))
        .build();
  }

  @Override
  MockResponse stoppedAtCap(String text, int tokens) {
    return new MockResponse.Builder().body(answer(text, "length", tokens)).build();
  }

  /** What llama-cpp-python and OpenAI answer. */
  @Override
  MockResponse overflow() {
    return new MockResponse.Builder()
        .code(400)
        .body(
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens."
                + " However, you requested 9000 tokens\",\"type\":\"invalid_request_error\","
                + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}")
        .build();
  }

  @Test
  void postsAStrictJsonSchemaChatCompletion() throws Exception {
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    LlmResponse r = backend().complete(request());

    JsonNode body = routes.chatBody(0);
    assertThat(body.path("model").asText()).isEqualTo("test-model");
    assertThat(body.path("temperature").asDouble(-1)).isZero();
    assertThat(body.path("seed").asInt(-1)).isZero();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(200);
    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(format.path("json_schema").path("name").asText()).isNotBlank();
    assertThat(format.path("json_schema").path("schema")).isEqualTo(Json.MAPPER.readTree(SCHEMA));
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(routes.chatRequests.get(0).getHeaders().get("Authorization")).isNull();
    assertThat(r.promptTokens()).isEqualTo(31);
    assertThat(r.completionTokens()).isEqualTo(9);
  }

  @Test
  void acceptsTheBaseUrlWithoutV1() {
    routes.chat.add(ok("{\"summary\":\"x\"}"));
    Map<String, String> m = new HashMap<>(pointAt(base()));
    m.put("OPENAI_BASE_URL", base() + "/");
    m.put("CODEGLOSS_MODEL", "test-model");

    LlmResponse r =
        LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home")).complete(request());

    assertThat(r.text()).isEqualTo("{\"summary\":\"x\"}");
    assertThat(routes.chatRequests.get(0).getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void sendsTheKeyAsABearerTokenAndNeverRepeatsItInAnError() {
    String key = "sk-test-0123456789abcdef";
    routes.chat.add(
        new MockResponse.Builder()
            .code(401)
            .body(
                "{\"error\":{\"message\":\"Incorrect API key provided: "
                    + key
                    + "\",\"type\":\"invalid_request_error\"}}")
            .build());

    assertThatThrownBy(() -> backend(Map.of("OPENAI_API_KEY", key)).complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(key);
    assertThat(routes.chatRequests.get(0).getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + key);
  }

  @Test
  void fallsBackToJsonObjectWithSchemaWhenTheServerRefusesJsonSchema() throws Exception {
    // llama-cpp-python 0.3.x answers a pydantic error, with status 500
    routes.chat.add(
        new MockResponse.Builder()
            .code(500)
            .body(
                "{\"error\":{\"message\":\"1 validation error: {'type': 'literal_error', 'loc':"
                    + " ('body', 'response_format', 'type'), 'msg': \\\"Input should be 'text' or"
                    + " 'json_object'\\\", 'input': 'json_schema'}\",\"type\":"
                    + "\"internal_server_error\"}}")
            .build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));
    routes.chat.add(ok("{\"summary\":\"y\"}"));
    LlmBackend b = backend();

    LlmResponse first = b.complete(request());
    LlmResponse second = b.complete(request());

    assertThat(first.text()).isEqualTo("{\"summary\":\"x\"}");
    assertThat(second.text()).isEqualTo("{\"summary\":\"y\"}");
    assertThat(routes.chatCalls()).isEqualTo(3);
    JsonNode fallback = routes.chatBody(1).path("response_format");
    assertThat(fallback.path("type").asText()).isEqualTo("json_object");
    assertThat(fallback.path("schema")).isEqualTo(Json.MAPPER.readTree(SCHEMA));
    assertThat(routes.chatBody(2).path("response_format").path("type").asText())
        .isEqualTo("json_object");
  }

  @Test
  void usesTheServersTokenizerForExactCounts() {
    routes.fixed.put(
        "/tokenize", new MockResponse.Builder().body("{\"tokens\":[1,2,3,4,5,6,7]}").build());

    LlmBackend b = backend();

    assertThat(b.countTokens("seven tokens, says the server")).isEqualTo(7);
    assertThat(b.exactTokenCounts()).isTrue();
  }

  @Test
  void aRequestWhoseMessagesTheCallerCountedAsksTheTokenizerNothingMore() {
    routes.fixed.put(
        "/tokenize", new MockResponse.Builder().body("{\"tokens\":[1,2,3,4,5,6,7]}").build());
    routes.chat.add(ok("{\"summary\":\"x\"}"));
    routes.chat.add(ok("{\"summary\":\"x\"}"));
    LlmBackend b = backend();
    LlmRequest r = request();
    LlmRequest counted =
        new LlmRequest(r.system(), r.user(), r.jsonSchema(), r.maxOutputTokens(), r.timeout(), 14);
    assertThat(b.exactTokenCounts()).isTrue();

    long asked = tokenizeRequests();
    b.complete(r);
    assertThat(tokenizeRequests()).isEqualTo(asked + 2);
    b.complete(counted);
    assertThat(tokenizeRequests()).isEqualTo(asked + 2);

    // the caller's count still guards the context window
    LlmRequest tooLarge =
        new LlmRequest(
            r.system(), r.user(), r.jsonSchema(), r.maxOutputTokens(), r.timeout(), 9_000);
    assertThatThrownBy(() -> b.complete(tooLarge))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("exceeds the context window");
    assertThat(routes.chatRequests).hasSize(2);
  }

  private long tokenizeRequests() {
    return routes.otherRequests.stream()
        .filter(q -> q.getUrl().encodedPath().equals("/tokenize"))
        .count();
  }

  @Test
  void usesLlamaCppPythonsCountEndpointWhenThereIsNoTokenize() {
    routes.fixed.put(
        "/extras/tokenize/count", new MockResponse.Builder().body("{\"count\":4}").build());

    LlmBackend b = backend();

    assertThat(b.countTokens("four")).isEqualTo(4);
    assertThat(b.exactTokenCounts()).isTrue();
  }

  @Test
  void estimatesWhenTheServerHasNoTokenizer() {
    LlmBackend b = backend();

    assertThat(b.exactTokenCounts()).isFalse();
    assertThat(b.countTokens("abcdef")).isEqualTo(3);
  }

  @Test
  void foldsTheSystemTextIntoTheUserTurnForGemma() throws Exception {
    routes.chat.add(ok("{\"summary\":\"x\"}"));

    backend(Map.of("CODEGLOSS_MODEL", "gemma-3-270m")).complete(request());

    JsonNode messages = routes.chatBody(0).path("messages");
    assertThat(messages.size()).isEqualTo(1);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(0).path("content").asText())
        .isEqualTo("Describe the code.\n\ndef f(): pass");
  }

  @Test
  void discoversTheModelOfASingleModelServer() {
    routes.fixed.put(
        "/v1/models",
        new MockResponse.Builder()
            .body(
                "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-coder\",\"object\":\"model\"}]}")
            .build());
    Map<String, String> m = new HashMap<>(pointAt(base()));

    assertThat(LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home")).model())
        .isEqualTo("qwen2.5-coder");
  }

  @Test
  void asksForTheModelNameWhenTheServerDoesNotSayIt() {
    Map<String, String> m = new HashMap<>(pointAt(base()));

    assertThatThrownBy(() -> LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("set CODEGLOSS_MODEL");
  }

  @Test
  void aRefusalByTheModelIsPermanent() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    ObjectNode choice = n.putArray("choices").addObject();
    choice.putObject("message").put("role", "assistant").putNull("content").put("refusal", "no");
    choice.put("finish_reason", "stop");
    routes.chat.add(new MockResponse.Builder().body(Json.write(n)).build());

    assertThatThrownBy(() -> backend().complete(request()))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("refused");
  }
}
