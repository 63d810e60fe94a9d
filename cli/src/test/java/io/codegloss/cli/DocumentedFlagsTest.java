package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every flag docs/commands.md documents, given to the real CLI ({@link CodeglossMain} in this JVM)
 * and accepted: commands that finish run against a real PostgreSQL and must succeed; long-running
 * ones (servers, workers, the benchmark) get every flag, are checked by the parser and the
 * settings, and must then fail only where they open an unreachable database (exit 1, never a usage
 * error). The flags exercised must equal the flags documented, so a new flag cannot go untested.
 */
class DocumentedFlagsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern COMMAND = Pattern.compile("^## ([a-z]+)\\b.*");
  private static final Pattern FLAG_ROW = Pattern.compile("^\\| `(--[a-z-]+)( [^`]+)?` \\|");

  @TempDir static Path tmp;
  private static TestDatabase db;
  private static Path repo;
  private static Path config;

  /** One invocation: the command line and whether it must finish (true) or reach the database. */
  record Run(boolean finishes, List<String> args) {}

  @BeforeAll
  static void setUp() throws IOException {
    db = TestDatabase.fresh();
    repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(
        repo.resolve("app.py"),
        "def greet(name):\n    return 'hi ' + name\n\n\ndef main():\n    greet('x')\n");
    config = tmp.resolve("config.properties");
    Files.writeString(config, "RAG_BATCH_MIN_SIZE=2\n");
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  /** The invocations, in order (index first: the others read what it stored). */
  private static List<Run> runs() {
    String r = repo.toString();
    String[] batch = {
      "--batch", "on",
      "--batch-max-tokens", "2000",
      "--batch-max-line-gap", "100",
      "--batch-min-size", "2",
      "--batch-large-span-lines", "200"
    };
    List<Run> runs = new ArrayList<>();
    runs.add(finishes("index", r, "--max-file-bytes", "100000", "--json"));
    runs.add(finishes("status", "--json", "--config", config.toString(), "--db-url", db.jdbcUrl()));
    runs.add(finishes("status", "--help"));
    runs.add(finishes("status", "--version"));
    runs.add(finishes("spans", repo.resolve("app.py").toString(), "--json"));
    runs.add(finishes(concat(new String[] {"plan", r, "--json"}, batch)));
    runs.add(finishes(concat(new String[] {"enqueue", r, "--full", "--json"}, batch)));
    runs.add(finishes("enqueue", r, "--retry-failed", "--json"));
    runs.add(finishes("show", repo.resolve("app.py").toString(), "--json"));
    runs.add(finishes("stats", "--json"));
    runs.add(
        finishes(
            "search",
            "greet",
            "--json",
            "--limit",
            "5",
            "--repo",
            r,
            "--lang",
            "python",
            "--kind",
            "function"));
    runs.add(
        reachesDatabase(
            concat(
                new String[] {
                  "scheduler",
                  "--jobrunr-port",
                  "0",
                  "--jobrunr-host",
                  "127.0.0.1",
                  "--interval-seconds",
                  "5"
                },
                batch)));
    runs.add(
        reachesDatabase(
            "worker",
            "--max-tokens",
            "4096",
            "--concurrency",
            "1",
            "--backend",
            "openai",
            "--model",
            "m",
            "--name",
            "w1",
            "--until-idle"));
    runs.add(reachesDatabase("dashboard", "--port", "0", "--host", "127.0.0.1"));
    runs.add(
        reachesDatabase(
            concat(
                new String[] {
                  "up",
                  r,
                  "--until-done",
                  "--no-dashboard",
                  "--json",
                  "--port",
                  "0",
                  "--jobrunr-port",
                  "0",
                  "--host",
                  "127.0.0.1",
                  "--jobrunr-host",
                  "127.0.0.1",
                  "--interval-seconds",
                  "5",
                  "--max-tokens",
                  "4096",
                  "--concurrency",
                  "1",
                  "--backend",
                  "openai",
                  "--model",
                  "m"
                },
                batch)));
    runs.add(
        reachesDatabase(
            "bench",
            r,
            "--limit",
            "2",
            "--json",
            "--output",
            tmp.resolve("bench-out").toString(),
            "--modes",
            "single,batch",
            "--scaling",
            "off",
            "--workers",
            "1,2",
            "--scaling-concurrency",
            "1",
            "--latency-ms",
            "10",
            "--scaling-limit",
            "2",
            "--real-scaling-limit",
            "0",
            "--real-scaling-workers",
            "1",
            "--fixed-latency",
            "--timeout-minutes",
            "1",
            "--quality",
            "docstrings",
            "--backend",
            "openai",
            "--model",
            "m",
            "--model-path",
            tmp.resolve("model.gguf").toString(),
            "--max-tokens",
            "4096",
            "--batch-max-tokens",
            "2000",
            "--batch-max-line-gap",
            "100",
            "--batch-min-size",
            "2"));
    // last: the MCP server owns the process's stdout while it runs
    runs.add(reachesDatabase("mcp", "--repo", r));
    return runs;
  }

  @Test
  void everyDocumentedFlagOfEveryCommandIsAcceptedByTheRealCli() {
    Map<String, String> real = new HashMap<>(db.childEnvironment());
    real.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    Map<String, String> unreachable = new HashMap<>(real);
    unreachable.put("CODEGLOSS_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
    unreachable.put("OPENAI_BASE_URL", "http://127.0.0.1:1/v1");
    for (Run run : runs()) {
      String line = String.join(" ", run.args());
      E2e.Result result =
          E2e.run(run.finishes() ? real : unreachable, run.args().toArray(String[]::new));
      assertThat(result.err()).as(line).doesNotContain("unknown flag").doesNotContain("\tat ");
      if (run.finishes()) {
        assertThat(result.code()).as(line + "\n" + result.err()).isZero();
      } else {
        // parsed, settings validated, then stopped by the database: a usage error would be 2
        assertThat(result.code()).as(line + "\n" + result.err()).isEqualTo(1);
        // progress lines may come first (bench); the failure itself is the one last line
        String[] lines = result.err().strip().split("\n");
        assertThat(lines[lines.length - 1]).as(line).startsWith("codegloss: ");
      }
    }
  }

  @Test
  void theFlagsExercisedAreExactlyTheFlagsDocumented() throws IOException {
    Map<String, Set<String>> documented = documented();
    Set<String> everyCommand = documented.remove("");
    Map<String, Set<String>> exercised = new TreeMap<>();
    Set<String> common = new TreeSet<>();
    for (Run run : runs()) {
      String command = run.args().get(0);
      for (String arg : run.args().subList(1, run.args().size())) {
        if (!arg.startsWith("--")) {
          continue;
        }
        String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (everyCommand.contains(flag)) {
          common.add(flag);
        } else {
          exercised.computeIfAbsent(command, k -> new TreeSet<>()).add(flag);
        }
      }
    }
    assertThat(common).as("flags every command takes").isEqualTo(everyCommand);
    assertThat(exercised).isEqualTo(documented);
  }

  /** Flags per command from docs/commands.md; key "" holds the flags every command takes. */
  private static Map<String, Set<String>> documented() throws IOException {
    Map<String, Set<String>> out = new TreeMap<>();
    String section = "";
    Set<String> current = null;
    for (String line : Files.readString(ROOT.resolve("docs/commands.md")).split("\n")) {
      if (line.startsWith("# ")) {
        section = line.substring(2).strip();
        current = section.equals("Commands") ? out.computeIfAbsent("", k -> new TreeSet<>()) : null;
        continue;
      }
      Matcher m;
      if (section.equals("Commands") && (m = COMMAND.matcher(line)).matches()) {
        current = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      } else if (current != null && (m = FLAG_ROW.matcher(line)).find()) {
        current.add(m.group(1));
      }
    }
    return out;
  }

  private static Run finishes(String... args) {
    return new Run(true, List.of(args));
  }

  private static Run reachesDatabase(String... args) {
    return new Run(false, List.of(args));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
