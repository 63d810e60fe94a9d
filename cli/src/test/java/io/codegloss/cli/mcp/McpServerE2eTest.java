package io.codegloss.cli.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.codegloss.cli.CodeglossMain;
import io.codegloss.cli.E2e;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code codegloss mcp} as an agent starts it: a separate process on stdio, driven by the official
 * SDK's client, over the indexed fixture repository.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpServerE2eTest {

  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private Path tmp;
  private TestDatabase db;
  private Path repo;
  private Map<String, String> env;

  @BeforeAll
  void indexTheFixtureAndWriteOneNote(@TempDir Path dir) throws IOException {
    tmp = dir;
    db = TestDatabase.fresh();
    repo = E2e.fixtureRepo(tmp);
    env = new HashMap<>(db.childEnvironment());
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    env.put("PATH", System.getenv("PATH"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        CodeglossMain.run(
            new String[] {"index", repo.toString(), "--json"},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream()));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    long setEmail =
        db.database()
            .withConnection(
                c -> {
                  try (var ps =
                          c.prepareStatement(
                              "select id from spans where symbol = 'User.set_email'");
                      var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                  }
                });
    Enrichment note =
        new Enrichment(
            "Stores a normalised email after validate_email accepts it.",
            List.of("email: the new address"),
            List.of(),
            List.of(),
            List.of("raises ValueError on an address without @"),
            null,
            List.of(),
            List.of());
    Seed.into(db)
        .enrichment(
            setEmail,
            e -> e.model("gemma-3-270m").promptVersion(2).payload(EnrichmentJson.toJson(note)));
  }

  @AfterAll
  void dropTheDatabase() {
    db.close();
  }

  @Test
  void anSdkClientInitializesListsTheToolsAndCallsEachOnTheIndexedFixture() {
    StdioClientTransport transport =
        new StdioClientTransport(
            ServerParameters.builder(java())
                .args(childArgs("mcp", "--repo", repo.resolve("app").toString()))
                .env(env)
                .build(),
            new JacksonMcpJsonMapper(JSON));
    List<String> stderr = new ArrayList<>();
    transport.setStdErrorHandler(stderr::add);
    try (McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(120))
            .jsonSchemaValidator(new SchemaValidator(JSON))
            .build()) {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("codegloss");
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder(
              "search_code", "get_span", "callers", "callees", "file_outline", "repository_status");

      JsonNode span = ok(client, "get_span", Map.of("symbol", "User.set_email"));
      assertThat(span.path("matched_by").asText()).isEqualTo("symbol");
      JsonNode first = span.path("spans").get(0);
      assertThat(first.path("path").asText()).isEqualTo("app/user.py");
      assertThat(first.path("code").asText()).contains("def set_email(self, email):");
      Map<String, JsonNode> fields = new HashMap<>();
      first.path("fields").forEach(f -> fields.put(f.path("name").asText(), f));
      assertThat(fields.get("signature").path("source").asText()).isEqualTo("analysis");
      assertThat(fields.get("raises").path("value").toString()).contains("ValueError");
      assertThat(fields.get("raises").path("source").asText()).isEqualTo("analysis");
      assertThat(fields.get("summary").path("value").asText())
          .isEqualTo("Stores a normalised email after validate_email accepts it.");
      assertThat(fields.get("summary").path("source").asText()).isEqualTo("model");
      assertThat(fields.get("summary").path("model").asText()).isEqualTo("gemma-3-270m");
      assertThat(fields.get("summary").path("prompt_version").asInt()).isEqualTo(2);
      assertThat(fields.get("pitfalls").path("source").asText()).isEqualTo("model");

      JsonNode callees = ok(client, "callees", Map.of("symbol", "User.set_email"));
      assertThat(callees.path("spans").get(0).path("calls").findValuesAsText("symbol"))
          .contains("User.validate_email");
      long validateId = callees.path("spans").get(0).path("calls").get(0).path("span_id").asLong();

      JsonNode callers = ok(client, "callers", Map.of("span_id", validateId));
      assertThat(callers.path("spans").get(0).path("symbol").asText())
          .isEqualTo("User.validate_email");
      assertThat(callers.path("spans").get(0).path("calls").findValuesAsText("symbol"))
          .contains("User.set_email");

      JsonNode outline = ok(client, "file_outline", Map.of("path", "user.py"));
      assertThat(outline.path("path").asText()).isEqualTo("app/user.py");
      assertThat(outline.path("spans").findValuesAsText("symbol"))
          .containsExactly(
              "User", "User.__init__", "User.get_email", "User.set_email", "User.validate_email");

      JsonNode status = ok(client, "repository_status", Map.of());
      assertThat(status.path("root").asText()).isEqualTo(repo.toRealPath().toString());
      assertThat(status.path("spans").asLong()).isPositive();
      assertThat(status.path("enriched").asLong()).isEqualTo(1);
      assertThat(status.path("pending").asLong()).isEqualTo(status.path("spans").asLong() - 1);
      assertThat(status.path("failed").asLong()).isZero();

      JsonNode search = ok(client, "search_code", Map.of("query", "validate email"));
      assertThat(search.path("hits").findValuesAsText("symbol")).contains("User.validate_email");

      CallToolResult unknown = call(client, "get_span", Map.of("symbol", "No.such_thing"));
      assertThat(unknown.isError()).isTrue();
      assertThat(text(unknown)).contains("no span matches 'No.such_thing'");
      CallToolResult noFile = call(client, "file_outline", Map.of("path", "app/missing.py"));
      assertThat(noFile.isError()).isTrue();
      assertThat(text(noFile)).contains("no indexed file 'app/missing.py'");
      CallToolResult badArgs = call(client, "get_span", Map.of("span", 1));
      assertThat(badArgs.isError()).isTrue();

      // still serving after the errors
      assertThat(ok(client, "repository_status", Map.of()).path("spans").asLong()).isPositive();
    } catch (Exception e) {
      throw new AssertionError(e + "; server stderr: " + stderr, e);
    }
    assertThat(stderr).as("the console gets no log line; logs go to the file").isEmpty();
  }

  @Test
  void stdoutCarriesOnlyProtocolFramesAndAMalformedLineGetsAnErrorWhileServingGoesOn()
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(childArgs("mcp"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
    pb.environment().putAll(env);
    Path err = tmp.resolve("raw.err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String input =
        String.join(
            "\n",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "this is not json {",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":\"oops\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such/method\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"get_span\",\"arguments\":{\"symbol\":\"User.get_email\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}",
            "");
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    // stdin closed: the client is gone; the server answers what it got, then exits
    assertThat(p.waitFor(120, TimeUnit.SECONDS))
        .as("the server exits when its client goes away")
        .isTrue();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();

    Map<String, JsonNode> byId = new HashMap<>();
    List<JsonNode> nullIds = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      JsonNode m = JSON.readTree(line); // every line of stdout is a JSON-RPC frame
      assertThat(m.path("jsonrpc").asText()).as(line).isEqualTo("2.0");
      if (m.path("id").isNull()) {
        nullIds.add(m);
      } else {
        byId.put(m.path("id").asText(), m);
      }
    }
    assertThat(nullIds).hasSize(1);
    assertThat(nullIds.get(0).path("error").path("code").asInt()).isEqualTo(-32700);
    assertThat(byId.get("2").path("error").path("code").asInt()).isEqualTo(-32600);
    assertThat(byId.get("3").path("error").path("code").asInt()).isEqualTo(-32601);
    assertThat(
            byId.get("4")
                .path("result")
                .path("structuredContent")
                .path("spans")
                .get(0)
                .path("symbol")
                .asText())
        .isEqualTo("User.get_email");
    assertThat(byId.get("5").path("result").path("tools").size()).isEqualTo(6);
    assertThat(Files.readString(err)).as("nothing on the console").isEmpty();
  }

  @Test
  void aDirectoryOutsideEveryIndexedRepositoryIsOneClearLineAndExitCodeOne() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(childArgs("mcp", "--repo", tmp.resolve("home").toString()));
    Files.createDirectories(tmp.resolve("home"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(stderr.strip().lines()).hasSize(1);
    assertThat(stderr).contains("is not inside an indexed repository");
    assertThat(p.getInputStream().readAllBytes()).isEmpty();
  }

  private static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> args) {
    CallToolResult r = call(client, tool, args);
    assertThat(r.isError()).as(tool + ": " + text(r)).isNotEqualTo(Boolean.TRUE);
    return JSON.valueToTree(r.structuredContent());
  }

  private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
  }

  private static String text(CallToolResult r) {
    return r.content().stream()
        .filter(c -> c instanceof McpSchema.TextContent)
        .map(c -> ((McpSchema.TextContent) c).text())
        .reduce("", String::concat);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The child runs the production logging set-up: the test jars on the class path carry
   * logback-test.xml files that log to stdout, which no installed codegloss has.
   */
  private static List<String> childArgs(String... args) {
    List<String> a = new ArrayList<>();
    a.add("-Xmx256m");
    a.add("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
    a.add("-cp");
    a.add(System.getProperty("java.class.path"));
    a.add(CodeglossMain.class.getName());
    a.addAll(List.of(args));
    return a;
  }
}
