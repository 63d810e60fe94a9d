package io.codegloss.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MCP tool-call latency on a running server, as an agent sees it: starts {@code codegloss mcp} as a
 * subprocess (this jar), connects with the SDK's client, warms up, then calls every tool on real
 * spans of the indexed repository in rounds and prints p50/p95/max per tool and overall as JSON.
 *
 * <p>{@code java -cp cli/target/codegloss.jar io.codegloss.cli.mcp.McpLatencyBench REPO [ROUNDS]}
 * (bench/mcp/run.sh indexes a corpus first). Not a test: a loaded machine gives noisy numbers.
 */
public final class McpLatencyBench {

  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private McpLatencyBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: McpLatencyBench REPO [ROUNDS]");
      System.exit(2);
    }
    String repo = Path.of(args[0]).toAbsolutePath().normalize().toString();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String jar =
        Path.of(McpLatencyBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    StdioClientTransport transport =
        new StdioClientTransport(
            ServerParameters.builder(java).args("-jar", jar, "mcp", "--repo", repo).build(),
            new JacksonMcpJsonMapper(JSON));
    Map<String, List<Double>> millis = new TreeMap<>();
    long started = System.nanoTime();
    try (McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(180))
            .jsonSchemaValidator(new SchemaValidator(JSON))
            .build()) {
      client.initialize();
      double startSeconds = (System.nanoTime() - started) / 1e9;
      JsonNode status = call(client, "repository_status", Map.of(), null);
      // the spans to ask about: the first spans of the first files a search finds
      List<String> files = new ArrayList<>();
      List<String> symbols = new ArrayList<>();
      for (String seed : new String[] {"load", "run", "get", "read", "error", "init"}) {
        JsonNode hits = call(client, "search_code", Map.of("query", seed, "limit", 10), null);
        for (JsonNode h : hits.path("hits")) {
          symbols.add(h.path("symbol").asText());
          if (!files.contains(h.path("path").asText())) {
            files.add(h.path("path").asText());
          }
        }
      }
      if (symbols.isEmpty()) {
        throw new IllegalStateException("the repository has no spans to ask about: index it first");
      }
      String[] queries = {"parse", "encode string", "decode", "error", "load", "run until"};
      for (int warm = 0; warm < 3; warm++) {
        round(client, symbols, files, queries, warm, null);
      }
      for (int r = 0; r < rounds; r++) {
        round(client, symbols, files, queries, r, millis);
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("repository", repo);
      out.put("spans", status.path("spans").asLong());
      out.put("rounds", rounds);
      out.put("server_start_and_initialize_seconds", Math.round(startSeconds * 10) / 10.0);
      List<Double> all = new ArrayList<>();
      ObjectNode byTool = out.putObject("tools");
      for (var e : millis.entrySet()) {
        all.addAll(e.getValue());
        byTool.set(e.getKey(), summary(e.getValue()));
      }
      out.set("all", summary(all));
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
    System.exit(0);
  }

  private static void round(
      McpSyncClient client,
      List<String> symbols,
      List<String> files,
      String[] queries,
      int r,
      Map<String, List<Double>> millis) {
    String symbol = symbols.get(r % symbols.size());
    String file = files.get(r % files.size());
    call(client, "search_code", Map.of("query", queries[r % queries.length]), millis);
    call(client, "get_span", Map.of("symbol", symbol), millis);
    call(client, "callers", Map.of("symbol", symbol), millis);
    call(client, "callees", Map.of("symbol", symbol), millis);
    call(client, "file_outline", Map.of("path", file), millis);
    call(client, "repository_status", Map.of(), millis);
  }

  private static JsonNode call(
      McpSyncClient client,
      String tool,
      Map<String, Object> args,
      Map<String, List<Double>> millis) {
    long t0 = System.nanoTime();
    CallToolResult r =
        client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    double ms = (System.nanoTime() - t0) / 1e6;
    if (Boolean.TRUE.equals(r.isError())) {
      throw new IllegalStateException(tool + " " + args + " failed: " + r.content());
    }
    if (millis != null) {
      millis.computeIfAbsent(tool, k -> new ArrayList<>()).add(ms);
    }
    return JSON.valueToTree(r.structuredContent());
  }

  private static ObjectNode summary(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("p50_ms", percentile(sorted, 0.50));
    m.put("p95_ms", percentile(sorted, 0.95));
    m.put("max_ms", sorted.get(sorted.size() - 1));
    ObjectNode n = JSON.createObjectNode();
    n.put("calls", sorted.size());
    m.forEach((k, v) -> n.put(k, Math.round(v * 10) / 10.0));
    return n;
  }

  /** Nearest-rank percentile. */
  private static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
