package io.codegloss.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.span.TokenEstimate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions}: llama.cpp's server, llama-cpp-python's
 * server, vLLM, LM Studio, hosted APIs. Constrained decoding through {@code response_format}
 * json_schema; servers that only know {@code {"type":"json_object","schema":...}}
 * (llama-cpp-python) are detected on their first refusal and served that form from then on.
 */
final class OpenAiBackend extends HttpBackend {

  private static final Logger log = LoggerFactory.getLogger(OpenAiBackend.class);

  /** How this server counts tokens, learnt on first use. */
  private enum Tokenizer {
    UNKNOWN,
    /** llama.cpp server and vLLM: POST /tokenize. */
    TOKENIZE,
    /** llama-cpp-python: POST /extras/tokenize/count. */
    EXTRAS_COUNT,
    NONE
  }

  private final HttpUrl root;
  private final HttpUrl chatUrl;
  private final HttpUrl completionsUrl;
  private final Map<String, String> headers;
  private final boolean autoFormat;
  private volatile boolean jsonObjectFormat;
  private volatile Tokenizer tokenizer = Tokenizer.UNKNOWN;

  private OpenAiBackend(
      LlmSettings s, HttpTransport t, HttpUrl root, Map<String, String> headers, String model) {
    super(s, t, model, foldSystem(s.systemRole(), model));
    this.root = root;
    this.chatUrl = root.newBuilder().addPathSegments("v1/chat/completions").build();
    this.completionsUrl = root.newBuilder().addPathSegments("v1/completions").build();
    this.headers = headers;
    this.autoFormat = s.openaiResponseFormat().equals("auto");
    this.jsonObjectFormat = s.openaiResponseFormat().equals("json_object");
  }

  static OpenAiBackend create(LlmSettings s) {
    HttpUrl root = root(s.openaiBaseUrl());
    HttpTransport t = new HttpTransport("openai", s, s.openaiApiKey());
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    if (s.openaiApiKey() != null) {
      headers.put("Authorization", "Bearer " + s.openaiApiKey());
    }
    String model = s.model() != null ? s.model() : discoverModel(t, root, headers);
    return new OpenAiBackend(s, t, root, Map.copyOf(headers), model);
  }

  /** The server root: OPENAI_BASE_URL with any trailing /v1 removed. */
  static HttpUrl root(String baseUrl) {
    String b = baseUrl.trim().replaceAll("/+$", "");
    if (b.endsWith("/v1")) {
      b = b.substring(0, b.length() - 3);
    }
    HttpUrl u = HttpUrl.parse(b);
    if (u == null) {
      throw new ConfigException(
          "invalid value for OPENAI_BASE_URL: expected an http(s) URL such as "
              + LlmSettings.DEFAULT_OPENAI_BASE_URL);
    }
    return u;
  }

  /** Gemma's chat templates have no system role (llama-cpp-python's drops it altogether). */
  private static boolean foldSystem(String systemRole, String model) {
    return switch (systemRole) {
      case "user" -> true;
      case "system" -> false;
      default -> model.toLowerCase(Locale.ROOT).contains("gemma");
    };
  }

  /** A local server serves one model; its id is the name to send and to store. */
  private static String discoverModel(HttpTransport t, HttpUrl root, Map<String, String> headers) {
    HttpUrl url = root.newBuilder().addPathSegments("v1/models").build();
    HttpTransport.Reply r = t.tryOnce(url, headers, null);
    if (r != null && r.ok()) {
      try {
        JsonNode data = Json.MAPPER.readTree(r.body()).path("data");
        if (data.isArray() && data.size() == 1 && data.get(0).path("id").isTextual()) {
          return data.get(0).path("id").asText();
        }
      } catch (java.io.IOException | RuntimeException e) {
        // fall through to the error below
      }
    }
    throw new ConfigException(
        "CODEGLOSS_MODEL is not set and "
            + HttpTransport.display(url)
            + (r == null ? " did not answer" : " did not name exactly one model")
            + "; set CODEGLOSS_MODEL");
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public int countTokens(String text) {
    Integer exact = exactCount(text);
    return exact != null ? exact : TokenEstimate.conservative(text);
  }

  @Override
  public boolean exactTokenCounts() {
    if (tokenizer == Tokenizer.UNKNOWN) {
      exactCount("probe");
    }
    return tokenizer == Tokenizer.TOKENIZE || tokenizer == Tokenizer.EXTRAS_COUNT;
  }

  private @Nullable Integer exactCount(String text) {
    Tokenizer mode = tokenizer;
    if (mode == Tokenizer.NONE) {
      return null;
    }
    boolean reachable = false;
    if (mode == Tokenizer.UNKNOWN || mode == Tokenizer.TOKENIZE) {
      ObjectNode b = Json.MAPPER.createObjectNode();
      b.put("model", model);
      b.put("content", text); // llama.cpp
      b.put("prompt", text); // vLLM
      b.put("add_special", false);
      b.put("add_special_tokens", false);
      HttpTransport.Reply r =
          transport.tryOnce(
              root.newBuilder().addPathSegment("tokenize").build(), headers, Json.write(b));
      reachable = r != null;
      Integer n = r == null ? null : countIn(r, "tokens");
      if (n != null) {
        tokenizer = Tokenizer.TOKENIZE;
        return n;
      }
      if (mode == Tokenizer.TOKENIZE) {
        return null;
      }
    }
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("model", model);
    b.put("input", text);
    HttpTransport.Reply r =
        transport.tryOnce(
            root.newBuilder().addPathSegments("extras/tokenize/count").build(),
            headers,
            Json.write(b));
    Integer n = r == null ? null : countIn(r, null);
    if (n != null) {
      tokenizer = Tokenizer.EXTRAS_COUNT;
      return n;
    }
    if (mode == Tokenizer.UNKNOWN && reachable && r != null) {
      log.info("openai: {} offers no tokenizer endpoint; token counts are estimates", root);
      tokenizer = Tokenizer.NONE;
    }
    return null;
  }

  private static @Nullable Integer countIn(HttpTransport.Reply r, @Nullable String arrayField) {
    if (!r.ok()) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(r.body());
      if (n.path("count").isInt()) {
        return n.path("count").asInt();
      }
      if (arrayField != null && n.path(arrayField).isArray()) {
        return n.path(arrayField).size();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not a tokenizer answer
    }
    return null;
  }

  @Override
  public LlmResponse complete(LlmRequest r) {
    long start = System.nanoTime();
    JsonNode schema = Json.schema(name(), r.jsonSchema());
    int counted = promptTokens(r);
    checkBudget(counted, r.maxOutputTokens());

    HttpTransport.Reply reply = post(r, schema, jsonObjectFormat);
    int attempts = reply.attempts();
    if (!reply.ok()) {
      log.info(
          "openai: {} refuses response_format json_schema; sending json_object with the schema",
          HttpTransport.display(chatUrl));
      jsonObjectFormat = true;
      reply = post(r, schema, true);
      attempts += reply.attempts();
    }
    JsonNode n = reply.json();
    JsonNode choice = n == null ? null : n.path("choices").path(0);
    if (choice == null || !choice.isObject()) {
      throw unreadable("no choices[0]");
    }
    String finish = choice.path("finish_reason").asText("stop");
    JsonNode usage = n.path("usage");
    Integer promptTokens = OllamaBackend.intOrNull(usage.path("prompt_tokens"));
    Integer completionTokens = OllamaBackend.intOrNull(usage.path("completion_tokens"));
    if (finish.equals("length")) {
      throw truncated(name(), completionTokens != null ? completionTokens : r.maxOutputTokens());
    }
    JsonNode message = choice.path("message");
    JsonNode content = message.path("content");
    if (!content.isTextual()) {
      if (message.path("refusal").isTextual()) {
        throw new PermanentException(
            "openai: the model refused: "
                + transport.errorDetail(message.path("refusal").asText()));
      }
      throw unreadable("no choices[0].message.content");
    }
    if (finish.equals("content_filter")) {
      throw new PermanentException("openai: the answer was stopped by the content filter");
    }
    return new LlmResponse(
        JsonText.escapeControlCharsInStrings(content.asText()),
        promptTokens != null ? promptTokens : counted,
        completionTokens,
        finish,
        (System.nanoTime() - start) / 1_000_000,
        attempts);
  }

  /**
   * {@code POST /v1/completions}: the prompt as is, greedy, seed 0, the stop strings (hosted OpenAI
   * accepts at most four; llama.cpp's server and vLLM take any number). finish_reason {@code
   * length} comes back as such, not as a failure.
   */
  @Override
  public LlmResponse continueText(TextRequest r) {
    long start = System.nanoTime();
    int counted = countTokens(r.prompt());
    checkBudget(counted, r.maxOutputTokens());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("prompt", r.prompt());
    body.put("max_tokens", r.maxOutputTokens());
    body.put("temperature", 0);
    body.put("seed", 0);
    body.put("stream", false);
    if (!r.stop().isEmpty()) {
      r.stop().forEach(body.putArray("stop")::add);
    }
    Duration timeout =
        settings.timeoutOverride() != null ? settings.timeoutOverride() : r.timeout();
    HttpTransport.Reply reply =
        transport.postJson(completionsUrl, headers, Json.write(body), timeout, x -> false);
    JsonNode n = reply.json();
    JsonNode choice = n == null ? null : n.path("choices").path(0);
    if (choice == null || !choice.isObject() || !choice.path("text").isTextual()) {
      throw new PermanentException(
          "openai: unreadable answer from "
              + HttpTransport.display(completionsUrl)
              + ": no choices[0].text");
    }
    String finish = choice.path("finish_reason").asText("stop");
    if (finish.equals("content_filter")) {
      throw new PermanentException("openai: the answer was stopped by the content filter");
    }
    JsonNode usage = n.path("usage");
    Integer promptTokens = OllamaBackend.intOrNull(usage.path("prompt_tokens"));
    Integer completionTokens = OllamaBackend.intOrNull(usage.path("completion_tokens"));
    return new LlmResponse(
        r.cutAtStop(choice.path("text").asText()),
        promptTokens != null ? promptTokens : counted,
        completionTokens,
        finish.equals("length") ? "length" : "stop",
        (System.nanoTime() - start) / 1_000_000,
        reply.attempts());
  }

  private HttpTransport.Reply post(LlmRequest r, JsonNode schema, boolean jsonObject) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.set("messages", messages(r));
    body.put("temperature", 0);
    // With a fixed seed the same prompt gets the same answer, which failure bookkeeping relies on.
    body.put("seed", 0);
    body.put("max_tokens", r.maxOutputTokens());
    body.put("stream", false);
    ObjectNode format = body.putObject("response_format");
    if (jsonObject) {
      format.put("type", "json_object");
      format.set("schema", schema);
    } else {
      format.put("type", "json_schema");
      ObjectNode js = format.putObject("json_schema");
      js.put("name", "codegloss");
      js.put("strict", true);
      js.set("schema", schema);
    }
    boolean mayFallBack = autoFormat && !jsonObject;
    return transport.postJson(
        chatUrl,
        headers,
        Json.write(body),
        attemptTimeout(r),
        x -> mayFallBack && refusesJsonSchema(x));
  }

  /** llama-cpp-python: 500 "Input should be 'text' or 'json_object'" for type json_schema. */
  private static boolean refusesJsonSchema(HttpTransport.Reply r) {
    if (r.code() != 400 && r.code() != 422 && r.code() != 500) {
      return false;
    }
    String b = r.body().toLowerCase(Locale.ROOT);
    return b.contains("json_schema") && b.contains("json_object");
  }

  private PermanentException unreadable(String why) {
    return new PermanentException(
        "openai: unreadable answer from " + HttpTransport.display(chatUrl) + ": " + why);
  }
}
