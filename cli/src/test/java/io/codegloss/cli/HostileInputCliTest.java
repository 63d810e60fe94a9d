package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.testing.Rows;
import io.codegloss.testing.TestDatabase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile repositories and arguments through the real CLI ({@link CodeglossMain}, a real
 * PostgreSQL): each case failed, hung, leaked or garbled before its fix, and must now end with the
 * work done and at most one clear line.
 */
class HostileInputCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private TestDatabase db;
  private Path repo;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.fresh();
    repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    env = new HashMap<>(db.childEnvironment());
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private E2e.Result run(String... args) {
    return E2e.run(env, args);
  }

  private JsonNode indexJson() throws Exception {
    E2e.Result r = run("index", repo.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private List<String> strings(String sql) {
    return Rows.strings(db.database(), sql);
  }

  // ------------------------------------------------------------------ encodings (PEP 263)

  @Test
  void pythonFilesInLatin1AndCp1252AreDecodedByTheirCodingCookieWithNamesAndTextIntact()
      throws Exception {
    Files.write(
        repo.resolve("latin.py"),
        ("# -*- coding: latin-1 -*-\n"
                + "def café(naïve):\n"
                + "    \"\"\"Déjà vu: returns the naïve value.\"\"\"\n"
                + "    return naïve\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    Files.write(
        repo.resolve("windows.py"),
        ("#!/usr/bin/env python\n"
                + "# vim: set fileencoding=cp1252 :\n"
                + "def price():\n"
                + "    \"\"\"Returns \u201cthe\u201d price in \u20ac.\"\"\"\n"
                + "    return '\u20ac 5'\n")
            .getBytes(Charset.forName("windows-1252")));

    JsonNode report = indexJson();

    assertThat(report.get("files_with_declared_encoding").asInt()).isEqualTo(2);
    assertThat(report.get("files_with_invalid_utf8").asInt()).isZero();
    assertThat(strings("select symbol from spans order by symbol"))
        .containsExactly("café", "price");
    assertThat(strings("select code from spans where symbol = 'price'").get(0))
        .contains("\u201cthe\u201d price in \u20ac", "'\u20ac 5'");
    assertThat(strings("select doc_hint from spans where symbol = 'café'").get(0))
        .contains("Déjà vu: returns the naïve value.");
    E2e.Result spans = run("spans", repo.resolve("latin.py").toString(), "--json");
    assertThat(spans.code()).as(spans.err()).isZero();
    assertThat(spans.out()).contains("café");
    // an unchanged file stays unchanged: its size on disk, not its UTF-8 size, is compared
    assertThat(indexJson().get("files_changed").asInt()).isZero();
  }

  @Test
  void aCookieNamingAnEncodingJavaDoesNotKnowIsReadAsUtf8WithOneWarningLine() throws Exception {
    Files.writeString(repo.resolve("odd.py"), "# coding: klingon-8\ndef ok():\n    return 1\n");

    String console = indexInAChildProcess();

    assertThat(console)
        .contains("odd.py: declares coding 'klingon-8', which Java does not know: read as UTF-8")
        .doesNotContain("\tat ");
    assertThat(strings("select symbol from spans")).containsExactly("ok");
  }

  @Test
  void aCookieAfterTheSecondLineIsIgnoredAsPythonIgnoresIt() throws Exception {
    Files.write(
        repo.resolve("late.py"),
        "import os\n\n# coding: latin-1\ndef f():\n    return 'caf\u00e9'\n"
            .getBytes(StandardCharsets.UTF_8));

    JsonNode report = indexJson();

    assertThat(report.get("files_with_declared_encoding").asInt()).isZero();
    assertThat(strings("select code from spans").get(0)).contains("caf\u00e9");
  }

  // ------------------------------------------------------------------ findings of issue 14

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFifoGitignoreAndOneLinkedToDevZeroNeitherHangNorExhaustMemory() throws Exception {
    Files.writeString(repo.resolve("app.py"), "def ok():\n    return 1\n");
    Files.createDirectories(repo.resolve("sub"));
    Process mkfifo =
        new ProcessBuilder("mkfifo", repo.resolve("sub/.gitignore").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    Files.createSymbolicLink(repo.resolve(".gitignore"), Path.of("/dev/zero"));

    JsonNode report = indexJson();

    Map<String, String> skipped = new HashMap<>();
    report
        .get("files_skipped")
        .forEach(s -> skipped.put(s.get("path").asText(), s.get("reason").asText()));
    assertThat(skipped)
        .containsEntry(".gitignore", "symlink")
        .containsEntry("sub/.gitignore", "unreadable");
    assertThat(strings("select symbol from spans")).containsExactly("ok");
  }

  @Test
  void invalidUtf8ContentAndControlCharactersInNamesNeverReachTheTerminalRaw() throws Exception {
    Files.write(
        repo.resolve("latin1.py"),
        "# caf\u00e9\ndef first():\n    pass\n".getBytes(StandardCharsets.ISO_8859_1));
    Path evil = repo.resolve("evil\u001b]0;pwned\u0007.py");
    Files.writeString(evil, "def \u00e9vil():\n    return 1\n");
    // a file too large, so the skipped list (printed as text) names a hostile path as well
    Files.writeString(repo.resolve("big\u001b[2J.py"), "x = 1\n".repeat(50_000));

    E2e.Result text = run("index", repo.toString(), "--max-file-bytes", "1000");
    E2e.Result spans = run("spans", evil.toString());
    E2e.Result json = run("spans", evil.toString(), "--json");

    for (E2e.Result r : List.of(text, spans, json)) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out() + r.err()).doesNotContain("\u001b").doesNotContain("\u0007");
    }
    assertThat(text.out()).contains("big\\u001b[2J.py");
    assertThat(JSON.readTree(json.out()).toString()).contains("\u00e9vil");
    assertThat(strings("select symbol from spans order by symbol"))
        .containsExactly("first", "\u00e9vil");
  }

  @Test
  void aWarningAboutAFileWithEscapesInItsNameReachesTheConsoleEscaped() throws Exception {
    // the warning for invalid UTF-8 names the file: logged, so it goes through the console log
    // pattern of a real process, not through Printer
    Files.write(
        repo.resolve("evil\u001b]0;pwned\u0007.py"),
        "# caf\u00e9\ndef f():\n    pass\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(indexInAChildProcess())
        .contains("evil?]0;pwned?.py: 1 byte(s) not valid UTF-8")
        .doesNotContain("\u001b")
        .doesNotContain("\u0007");
  }

  /** {@code index} in a process of its own with the production console log configuration. */
  private String indexInAChildProcess() {
    Map<String, String> childEnv = new HashMap<>(env);
    childEnv.put("PATH", System.getenv("PATH"));
    // the test classpath holds test logging configurations; the console pattern under test is
    // the one the jar ships
    List<String> jvm =
        List.of(
            "-Dlogback.configurationFile="
                + Path.of("src/main/resources/logback.xml").toAbsolutePath());
    try (ChildJvm index =
        ChildJvm.start("index", tmp.resolve("logs"), childEnv, jvm, "index", repo.toString())) {
      assertThat(index.waitFor(java.time.Duration.ofMinutes(2))).as(index.output()).isZero();
      return index.output();
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aKeyInTheCodeNeverReachesTheModelServerFromARealWorkerProcessAndIsCounted()
      throws Exception {
    String key = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    Files.writeString(
        repo.resolve("client.py"),
        "def client():\n    return OpenAI(api_key=\""
            + key
            + "\")\n\n\n"
            + "def other():\n    return client()\n");
    List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          // a refusal the worker does not retry: every prompt is sent once and recorded
          byte[] answer = "{\"error\": {\"message\": \"no\"}}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      Map<String, String> childEnv = new HashMap<>(env);
      childEnv.put("PATH", System.getenv("PATH"));
      childEnv.put("OPENAI_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
      childEnv.put("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema");
      childEnv.put("CODEGLOSS_LLM_MAX_ATTEMPTS", "1");
      childEnv.put("CODEGLOSS_POLL_SECONDS", "5");
      E2e.Result enqueue = run("enqueue", repo.toString(), "--json");
      assertThat(enqueue.code()).as(enqueue.err()).isZero();

      try (ChildJvm worker =
          ChildJvm.start(
              "worker",
              tmp.resolve("logs"),
              childEnv,
              "worker",
              "--backend",
              "openai",
              "--model",
              "m",
              "--until-idle")) {
        assertThat(worker.waitFor(java.time.Duration.ofMinutes(4))).as(worker.output()).isZero();
      }

      assertThat(bodies).isNotEmpty();
      assertThat(String.join("\n", bodies)).doesNotContain(key).contains("<redacted:openai-key>");
      E2e.Result stats = run("stats", "--json");
      assertThat(JSON.readTree(stats.out()).get("secrets_redacted").asLong()).isPositive();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aPasswordInTheDatabaseUrlIsNeverPrinted() {
    E2e.Result r =
        run("status", "--db-url", "jdbc:postgresql://ops:Sup3rSecretPw@127.0.0.1:1/codegloss");
    E2e.Result r2 = run("status", "--db-url", "postgres://ops:Sup3rSecretPw@127.0.0.1:1/codegloss");
    E2e.Result r3 =
        run("status", "--db-url", "jdbc:postgresql://127.0.0.1:1/codegloss?password=Sup3rSecretPw");

    for (E2e.Result x : List.of(r, r2, r3)) {
      assertThat(x.code()).isEqualTo(1);
      assertThat(x.out() + x.err()).doesNotContain("Sup3rSecretPw").contains("codegloss: ");
      assertThat(x.err().strip()).doesNotContain("\n");
    }
  }

  @Test
  void hugeLineNumbersAndUnknownFlagsAreUsageErrorsOfOneLine() {
    E2e.Result line = run("show", "file.py:99999999999");
    E2e.Result bogus = run("index", "x", "--bogus");

    assertThat(line.code()).isEqualTo(2);
    assertThat(line.err().strip()).startsWith("codegloss: ").doesNotContain("\n");
    assertThat(bogus.code()).isEqualTo(2);
    assertThat(bogus.err()).contains("unknown flag --bogus");
  }
}
