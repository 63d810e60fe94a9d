package io.codegloss.cli.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.codegloss.core.error.CodeglossException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * codegloss's MCP server over stdio (the official Java SDK): six read-only tools over one
 * repository's index. Results are structured (snake_case, like every codegloss JSON) and checked
 * against each tool's output schema; a lookup that finds nothing is a tool error, not a crash.
 */
public final class CodeglossMcpServer {

  private static final Logger LOG = LoggerFactory.getLogger(CodeglossMcpServer.class);

  /** The protocol's own mapper: the SDK's records name their JSON properties themselves. */
  private static final ObjectMapper PROTOCOL = JsonMapper.builder().findAndAddModules().build();

  /** Our results, named as every codegloss JSON document is. */
  private static final ObjectMapper RESULTS =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .findAndAddModules()
          .build();

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final CodeglossTools tools;
  private final String version;

  public CodeglossMcpServer(CodeglossTools tools, String version) {
    this.tools = tools;
    this.version = version;
  }

  /**
   * Serves until {@code in} ends (the client went away), then closes the session.
   *
   * @param out the protocol's stream: nothing else may write to it
   */
  public void serve(InputStream in, OutputStream out) throws InterruptedException {
    McpJsonMapper mapper = new JacksonMcpJsonMapper(PROTOCOL);
    JsonRpcLines lines = new JsonRpcLines(in, out, PROTOCOL);
    McpSyncServer server =
        McpServer.sync(new StdioServerTransportProvider(mapper, lines, lines.out()))
            .serverInfo("codegloss", version)
            .instructions(
                "Notes on every function, method and class of "
                    + tools.root()
                    + ": facts from analysis of the code (source analysis) and prose from a"
                    + " model (source model). Start with search_code or file_outline, then"
                    + " get_span, callers and callees.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .jsonMapper(mapper)
            .jsonSchemaValidator(new SchemaValidator(PROTOCOL))
            .requestTimeout(Duration.ofSeconds(60))
            .tools(specifications())
            .build();
    LOG.info("MCP server on stdio for {}", tools.root());
    lines.ended().await();
    LOG.info("stdin ended: the MCP client is gone");
    server.close();
  }

  List<SyncToolSpecification> specifications() {
    return List.of(
        tool(
            "search_code",
            "Search the repository's functions, methods and classes by name, docstring, facts"
                + " and the notes' prose; any text is a query (identifiers, partial names, plain"
                + " words). Ranked hits with path, lines, state and summary; then get_span.",
            """
            {"type":"object","properties":{
              "query":{"type":"string","minLength":1},
              "limit":{"type":"integer","minimum":1,"maximum":100,"default":10},
              "language":{"type":"string","description":"python, java, go, ..."},
              "kind":{"type":"string","description":"function, method, class, ..."}},
             "required":["query"],"additionalProperties":false}
            """,
            """
            {"type":"object","properties":{"query":{"type":"string"},
             "hits":{"type":"array","items":{"type":"object","properties":{
               "span_id":{"type":"integer"},"path":{"type":"string"},"symbol":{"type":"string"},
               "start_line":{"type":"integer"},"end_line":{"type":"integer"},
               "summary":{"type":["string","null"]},"state":{"type":"string"},
               "score":{"type":"number"}},"required":["span_id","path","symbol"]}}},
             "required":["query","hits"]}
            """,
            a ->
                tools.searchCode(
                    requireString(a, "query"),
                    number(a, "limit"),
                    string(a, "language"),
                    string(a, "kind"))),
        tool(
            "get_span",
            "A span's note: facts (signature, parameters, returns, raises, side effects,"
                + " docstring; source analysis) and prose (summary, pitfalls, meanings; source"
                + " model with its model name and prompt version, or docstring), its calls and"
                + " callers, a usage line and its code. Look up by symbol (User.set_email), bare"
                + " name, FILE (every span of it), FILE:LINE (the innermost span) or span_id.",
            LOOKUP_INPUT,
            SPANS_OUTPUT,
            a -> tools.getSpan(string(a, "symbol"), number(a, "span_id"))),
        tool(
            "callers",
            "The spans that call a span (resolved calls into it, callers in tests first), each"
                + " with the line of the call.",
            LOOKUP_INPUT,
            CALLS_OUTPUT,
            a -> tools.callers(string(a, "symbol"), number(a, "span_id"))),
        tool(
            "callees",
            "What a span calls, in source order, resolved to indexed spans where analysis could"
                + " tell (span_id null otherwise).",
            LOOKUP_INPUT,
            CALLS_OUTPUT,
            a -> tools.callees(string(a, "symbol"), number(a, "span_id"))),
        tool(
            "file_outline",
            "The spans of one file in line order (symbol, kind, lines, state, summary). The path"
                + " is relative to the repository root, absolute inside it, or a unique suffix.",
            """
            {"type":"object","properties":{"path":{"type":"string","minLength":1,
             "description":"file path, relative to the repository root"}},
             "required":["path"],"additionalProperties":false}
            """,
            """
            {"type":"object","properties":{"path":{"type":"string"},
             "spans":{"type":"array","items":{"type":"object"}}},"required":["path","spans"]}
            """,
            a -> tools.fileOutline(requireString(a, "path"))),
        tool(
            "repository_status",
            "Counts of the repository's index: files and spans indexed, spans enriched, pending"
                + " (no current note yet), failed (prose failed; facts kept), facts only, not"
                + " indexed.",
            """
            {"type":"object","properties":{},"additionalProperties":false}
            """,
            """
            {"type":"object","properties":{"root":{"type":"string"},"spans":{"type":"integer"},
             "enriched":{"type":"integer"},"pending":{"type":"integer"},
             "failed":{"type":"integer"}},"required":["root","spans","enriched","pending","failed"]}
            """,
            a -> tools.repositoryStatus()));
  }

  private static final String LOOKUP_INPUT =
      """
      {"type":"object","properties":{
        "symbol":{"type":"string","minLength":1,
          "description":"a symbol (User.set_email), a bare name, FILE or FILE:LINE"},
        "span_id":{"type":"integer","description":"a span id from another tool's answer"}},
       "anyOf":[{"required":["symbol"]},{"required":["span_id"]}],
       "additionalProperties":false}
      """;

  private static final String SPANS_OUTPUT =
      """
      {"type":"object","properties":{"query":{"type":"string"},"matched_by":{"type":"string"},
       "spans":{"type":"array","items":{"type":"object","properties":{
         "span_id":{"type":"integer"},"symbol":{"type":"string"},"path":{"type":"string"},
         "fields":{"type":"array","items":{"type":"object","properties":{
           "name":{"type":"string"},"source":{"enum":["analysis","model","docstring"]}},
           "required":["name","value","source"]}},
         "code":{"type":"string"}},"required":["span_id","symbol","path","fields","code"]}},
       "truncated":{"type":"boolean"}},"required":["query","matched_by","spans"]}
      """;

  private static final String CALLS_OUTPUT =
      """
      {"type":"object","properties":{"query":{"type":"string"},
       "direction":{"enum":["callers","callees"]},
       "spans":{"type":"array","items":{"type":"object","properties":{
         "span_id":{"type":"integer"},"symbol":{"type":"string"},
         "calls":{"type":"array","items":{"type":"object","properties":{
           "span_id":{"type":["integer","null"]},"symbol":{"type":"string"},
           "line":{"type":"integer"}},"required":["symbol","line"]}}},
         "required":["span_id","symbol","calls"]}}},"required":["query","direction","spans"]}
      """;

  private SyncToolSpecification tool(
      String name,
      String description,
      String inputSchema,
      String outputSchema,
      Function<Map<String, Object>, Object> call) {
    McpJsonMapper mapper = new JacksonMcpJsonMapper(PROTOCOL);
    McpSchema.Tool tool =
        McpSchema.Tool.builder(name, mapper, inputSchema)
            .description(description)
            .outputSchema(mapper, outputSchema)
            .annotations(
                McpSchema.ToolAnnotations.builder()
                    .readOnlyHint(true)
                    .destructiveHint(false)
                    .idempotentHint(true)
                    .openWorldHint(false)
                    .build())
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> answer(name, request, call))
        .build();
  }

  /** The tool's answer as a structured result, or its failure as a tool error (one line). */
  static CallToolResult answer(
      String name, McpSchema.CallToolRequest request, Function<Map<String, Object>, Object> call) {
    long started = System.nanoTime();
    Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
    try {
      Map<String, Object> result = RESULTS.convertValue(call.apply(args), MAP);
      LOG.debug("{} answered in {} ms", name, (System.nanoTime() - started) / 1_000_000);
      return CallToolResult.builder()
          .structuredContent(result)
          .addTextContent(RESULTS.writeValueAsString(result))
          .build();
    } catch (CodeglossException e) {
      LOG.info("{} {}: {}", name, args, e.oneLine());
      return error(e.oneLine());
    } catch (IllegalArgumentException e) {
      return error(String.valueOf(e.getMessage()));
    } catch (Exception e) {
      LOG.error("{} failed", name, e);
      return error(
          "codegloss failed: " + e.getClass().getSimpleName() + " (details in the log file)");
    }
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().isError(true).addTextContent(message).build();
  }

  private static @Nullable String string(Map<String, Object> args, String key) {
    Object v = args.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return s;
  }

  private static String requireString(Map<String, Object> args, String key) {
    String s = string(args, key);
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return s;
  }

  private static @Nullable Long number(Map<String, Object> args, String key) {
    Object v = args.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(key + " must be a whole number");
    }
    return n.longValue();
  }
}
