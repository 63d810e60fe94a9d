package io.codegloss.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.span.TokenEstimate;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ollama's native {@code POST /api/chat}: the JSON schema goes in {@code format}, the context
 * window and output cap in {@code options}, and {@code truncate:false} turns Ollama's default
 * silent front-truncation of an over-long prompt into a 400 (honoured by Ollama releases that know
 * the field; older ones ignore it, which is why the budget is also checked before sending).
 */
final class OllamaBackend extends HttpBackend {

  private static final Logger log = LoggerFactory.getLogger(OllamaBackend.class);

  private final HttpUrl chatUrl;
  private final HttpUrl generateUrl;

  OllamaBackend(LlmSettings s) {
    super(
        s,
        new HttpTransport("ollama", s, null),
        s.model() != null ? s.model() : LlmSettings.DEFAULT_OLLAMA_MODEL,
        s.systemRole().equals("user"));
    HttpUrl base = HttpUrl.parse(s.ollamaHost());
    if (base == null) {
      throw new io.codegloss.core.error.ConfigException(
          "invalid value '" + s.ollamaHost() + "' for OLLAMA_HOST: expected host[:port] or a URL");
    }
    this.chatUrl = base.newBuilder().addPathSegments("api/chat").build();
    this.generateUrl = base.newBuilder().addPathSegments("api/generate").build();
  }

  @Override
  public String name() {
    return "ollama";
  }

  /** Ollama has no tokenizer endpoint: a conservative estimate. */
  @Override
  public int countTokens(String text) {
    return TokenEstimate.conservative(text);
  }

  @Override
  public boolean exactTokenCounts() {
    return false;
  }

  @Override
  public LlmResponse complete(LlmRequest r) {
    long start = System.nanoTime();
    JsonNode schema = Json.schema(name(), r.jsonSchema());
    int estimate = promptTokens(r);
    checkBudget(estimate, r.maxOutputTokens());

    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.set("messages", messages(r));
    body.set("format", schema);
    body.put("stream", false);
    body.put("keep_alive", settings.ollamaKeepAlive());
    body.put("truncate", false);
    body.put("shift", false);
    body.put("think", false);
    ObjectNode options = body.putObject("options");
    options.put("num_ctx", contextWindow());
    options.put("num_predict", r.maxOutputTokens());
    options.put("temperature", 0);
    options.put("seed", 0);

    HttpTransport.Reply reply =
        transport.postJson(
            chatUrl,
            Map.of("Accept", "application/json"),
            Json.write(body),
            attemptTimeout(r),
            x -> false);
    JsonNode n = reply.json();
    if (n == null || !n.isObject()) {
      throw unreadable("not a JSON object");
    }
    if (n.path("error").isTextual()) {
      throw new PermanentException(
          "ollama: " + transport.errorDetail(reply.body()) + " (" + chatUrl + ")");
    }
    JsonNode content = n.path("message").path("content");
    if (!content.isTextual()) {
      throw unreadable("no message.content");
    }
    Integer promptTokens = intOrNull(n.path("prompt_eval_count"));
    Integer evalTokens = intOrNull(n.path("eval_count"));
    String doneReason = n.path("done_reason").asText("stop");
    if (doneReason.equals("length")) {
      throw truncated(name(), evalTokens != null ? evalTokens : r.maxOutputTokens());
    }
    if (promptTokens != null && promptTokens > estimate) {
      log.warn(
          "ollama: the prompt took {} tokens, more than the estimate of {}; budgets are tight",
          promptTokens,
          estimate);
    }
    return new LlmResponse(
        JsonText.escapeControlCharsInStrings(content.asText()),
        promptTokens,
        evalTokens,
        doneReason,
        (System.nanoTime() - start) / 1_000_000,
        reply.attempts());
  }

  /**
   * {@code POST /api/generate} with {@code raw:true}: Ollama applies no template, so the model
   * continues the prompt as a document. done_reason {@code length} comes back as such.
   */
  @Override
  public LlmResponse continueText(TextRequest r) {
    long start = System.nanoTime();
    int estimate = countTokens(r.prompt()) + 1;
    checkBudget(estimate, r.maxOutputTokens());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("prompt", r.prompt());
    body.put("raw", true);
    body.put("stream", false);
    body.put("keep_alive", settings.ollamaKeepAlive());
    body.put("truncate", false);
    body.put("shift", false);
    body.put("think", false);
    ObjectNode options = body.putObject("options");
    options.put("num_ctx", contextWindow());
    options.put("num_predict", r.maxOutputTokens());
    options.put("temperature", 0);
    options.put("seed", 0);
    if (!r.stop().isEmpty()) {
      r.stop().forEach(options.putArray("stop")::add);
    }
    Duration timeout =
        settings.timeoutOverride() != null ? settings.timeoutOverride() : r.timeout();
    HttpTransport.Reply reply =
        transport.postJson(
            generateUrl,
            Map.of("Accept", "application/json"),
            Json.write(body),
            timeout,
            x -> false);
    JsonNode n = reply.json();
    if (n == null || !n.isObject()) {
      throw unreadable(generateUrl, "not a JSON object");
    }
    if (n.path("error").isTextual()) {
      throw new PermanentException(
          "ollama: " + transport.errorDetail(reply.body()) + " (" + generateUrl + ")");
    }
    JsonNode text = n.path("response");
    if (!text.isTextual()) {
      throw unreadable(generateUrl, "no response");
    }
    String doneReason = n.path("done_reason").asText("stop");
    return new LlmResponse(
        r.cutAtStop(text.asText()),
        intOrNull(n.path("prompt_eval_count")),
        intOrNull(n.path("eval_count")),
        doneReason.equals("length") ? "length" : "stop",
        (System.nanoTime() - start) / 1_000_000,
        reply.attempts());
  }

  private PermanentException unreadable(HttpUrl url, String why) {
    return new PermanentException(
        "ollama: unreadable answer from " + HttpTransport.display(url) + ": " + why);
  }

  private PermanentException unreadable(String why) {
    return new PermanentException(
        "ollama: unreadable answer from " + HttpTransport.display(chatUrl) + ": " + why);
  }

  static @Nullable Integer intOrNull(JsonNode n) {
    return n.isNumber() ? n.asInt() : null;
  }
}
