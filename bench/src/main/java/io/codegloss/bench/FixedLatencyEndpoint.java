package io.codegloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.codegloss.core.thread.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FIXED-LATENCY ENDPOINT, not a model: an OpenAI-compatible {@code /v1/chat/completions} on
 * 127.0.0.1 that sleeps a fixed time and then answers, for every span it was asked about, a
 * schema-valid placeholder enrichment. It exists only so that the benchmark can measure the queue
 * (pick-up latency, database time, scaling with worker processes) against an LLM whose cost is
 * known exactly. Only {@link Bench} starts it, on an ephemeral port, for the duration of one run;
 * no user command can name it as a backend, and every number measured against it is labelled {@link
 * #LABEL}.
 *
 * <p>The spans are read from the prompt itself ({@code === SPAN i: path:start-end (kind symbol)
 * ===} for batches, {@code Span: kind symbol, lines start-end} for single spans), so the answer has
 * exactly the items the schema asks for.
 */
public final class FixedLatencyEndpoint implements AutoCloseable {

  /** The label every output carries next to numbers measured against this endpoint. */
  public static final String LABEL = "FIXED-LATENCY ENDPOINT (no model)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BATCH_SPAN =
      Pattern.compile("=== SPAN (\\d+): .*?:(\\d+)-(\\d+) \\((\\w+) ([^)]*)\\) ===");
  private static final Pattern SINGLE_SPAN =
      Pattern.compile("Span: (\\w+) (\\S+), lines (\\d+)-(\\d+)");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Duration latency;
  private final AtomicLong requests = new AtomicLong();

  private FixedLatencyEndpoint(HttpServer server, ExecutorService executor, Duration latency) {
    this.server = server;
    this.executor = executor;
    this.latency = latency;
  }

  /**
   * Starts on 127.0.0.1 and an ephemeral port. Requests are served concurrently (one thread each),
   * like a server with unlimited slots, so that it never becomes the bottleneck it is meant to
   * exclude.
   */
  public static FixedLatencyEndpoint start(Duration latency) {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
    // the body then waits for the client's delayed ACK (40 ms on Linux). Measured: every "50 ms"
    // call took about 94 ms from the worker's side, 1 worker x 1 slot reached 8.8 spans/s instead
    // of 14.2. Read once, when the JDK server's configuration class loads, so it is set first.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor =
          Executors.newCachedThreadPool(DaemonThreads.named("fixed-latency-endpoint"));
      FixedLatencyEndpoint endpoint = new FixedLatencyEndpoint(server, executor, latency);
      server.createContext("/v1/chat/completions", endpoint::chat);
      server.createContext("/v1/models", endpoint::models);
      server.createContext("/", ex -> endpoint.send(ex, 404, "{\"error\":\"not found\"}"));
      server.setExecutor(executor);
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fixed-latency endpoint: " + e, e);
    }
  }

  /** The base URL to give as OPENAI_BASE_URL, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The model name it reports and the benchmark stores, which names the latency. */
  public String modelName() {
    return "fixed-latency-" + latency.toMillis() + "ms";
  }

  public Duration latency() {
    return latency;
  }

  /** Chat completions answered so far. */
  public long requests() {
    return requests.get();
  }

  private void models(HttpExchange ex) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    root.putArray("data").addObject().put("id", modelName()).put("object", "model");
    send(ex, 200, root.toString());
  }

  private void chat(HttpExchange ex) throws IOException {
    try {
      JsonNode body;
      try (InputStream in = ex.getRequestBody()) {
        body = JSON.readTree(in);
      }
      long started = System.nanoTime();
      requests.incrementAndGet();
      String prompt = promptText(body);
      JsonNode schema = schemaOf(body);
      String answer = answer(prompt, schema);
      sleepUntil(started + latency.toNanos());
      ObjectNode reply = JSON.createObjectNode();
      reply.put("id", "fixed-" + requests.get());
      reply.put("object", "chat.completion");
      reply.put("model", modelName());
      ObjectNode choice = reply.putArray("choices").addObject();
      choice.put("index", 0);
      choice.put("finish_reason", "stop");
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", answer);
      ObjectNode usage = reply.putObject("usage");
      usage.put("prompt_tokens", estimateTokens(prompt));
      usage.put("completion_tokens", estimateTokens(answer));
      send(ex, 200, reply.toString());
    } catch (RuntimeException e) {
      send(ex, 400, "{\"error\":" + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}");
    }
  }

  private static String promptText(JsonNode body) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : body.path("messages")) {
      sb.append(m.path("content").asText("")).append('\n');
    }
    return sb.toString();
  }

  private static JsonNode schemaOf(JsonNode body) {
    JsonNode format = body.path("response_format");
    JsonNode schema = format.path("json_schema").path("schema");
    return schema.isMissingNode() ? format.path("schema") : schema;
  }

  /** One span the prompt asks about. */
  record Asked(int index, String kind, String symbol, int startLine, int endLine) {}

  /** The spans a prompt asks about, in prompt order. */
  static List<Asked> asked(String prompt) {
    List<Asked> out = new ArrayList<>();
    Matcher b = BATCH_SPAN.matcher(prompt);
    while (b.find()) {
      out.add(
          new Asked(
              Integer.parseInt(b.group(1)),
              b.group(4),
              b.group(5),
              Integer.parseInt(b.group(2)),
              Integer.parseInt(b.group(3))));
    }
    if (out.isEmpty()) {
      Matcher s = SINGLE_SPAN.matcher(prompt);
      if (s.find()) {
        out.add(
            new Asked(
                1,
                s.group(1),
                s.group(2),
                Integer.parseInt(s.group(3)),
                Integer.parseInt(s.group(4))));
      }
    }
    return out;
  }

  /** A schema-valid answer: {"items":[...]} when the schema asks for items, else one object. */
  static String answer(String prompt, JsonNode schema) {
    List<Asked> spans = asked(prompt);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("the prompt names no span");
    }
    boolean batch = schema.path("properties").has("items");
    if (!batch) {
      return item(spans.get(0), false).toString();
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode items = root.putArray("items");
    for (Asked a : spans) {
      items.add(item(a, true));
    }
    return root.toString();
  }

  private static ObjectNode item(Asked a, boolean withIndex) {
    ObjectNode n = JSON.createObjectNode();
    if (withIndex) {
      n.put("span_index", a.index());
    }
    n.put(
        "summary_120w",
        "Placeholder note for "
            + a.symbol()
            + " from the benchmark's fixed-latency endpoint. No model wrote this text.");
    // The prose item of prompt version 2: evidence, usage and related names come from analysis.
    n.putArray("pitfalls");
    n.putArray("inputs");
    n.putArray("outputs");
    n.putArray("side_effects");
    return n;
  }

  /** About four characters per token, as the planner's estimate assumes for code and prose. */
  static int estimateTokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }

  private static void sleepUntil(long deadlineNanos) {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
