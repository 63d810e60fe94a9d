package io.codegloss.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here, so docker-compose.yml and the Dockerfile are checked against the
 * documented contract instead: every codegloss service runs a documented command with documented
 * flags and sets only documented variables.
 */
class ComposeFileTest {

  private static final Path ROOT = Path.of(System.getProperty("codegloss.repoRoot", ".."));

  /** Documented flags per command; the value is true when the flag takes a value. */
  private static final Map<String, Map<String, Boolean>> flags = new LinkedHashMap<>();

  private static final Set<String> variables = new LinkedHashSet<>();
  private static JsonNode compose;

  @BeforeAll
  static void read() throws IOException {
    parseCommandsDoc(Files.readString(ROOT.resolve("docs/commands.md")));
    compose =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(ROOT.resolve("docker-compose.yml")));
  }

  private static void parseCommandsDoc(String doc) {
    Pattern command = Pattern.compile("^## ([a-z]+)\\b.*");
    Pattern flag = Pattern.compile("^\\| `(--[a-z-]+)( [A-Z]+)?` \\|");
    Pattern variable = Pattern.compile("^\\| `([A-Z][A-Z0-9_]+)` \\|");
    String section = "";
    String current = null;
    for (String line : doc.split("\n")) {
      if (line.startsWith("# ")) {
        section = line.substring(2).trim();
        current = null;
        continue;
      }
      Matcher m;
      if (section.equals("Commands") && (m = command.matcher(line)).matches()) {
        current = m.group(1);
        flags.put(current, new LinkedHashMap<>());
      } else if (current != null && (m = flag.matcher(line)).find()) {
        flags.get(current).put(m.group(1), m.group(2) != null);
      } else if (section.equals("Environment") && (m = variable.matcher(line)).find()) {
        variables.add(m.group(1));
      }
    }
  }

  @Test
  void everyDashboardSettingIsDocumented() {
    assertThat(variables)
        .contains(
            DashboardSettings.PORT,
            DashboardSettings.WORKER_DEAD_SECONDS,
            DashboardSettings.JOBRUNR_DASHBOARD_URL,
            DashboardSettings.REFRESH_SECONDS,
            DashboardSettings.USER,
            DashboardSettings.PASSWORD,
            "CODEGLOSS_DB_URL",
            "CODEGLOSS_DB_USER",
            "CODEGLOSS_DB_PASSWORD");
  }

  @Test
  void everyCodeglossServiceRunsADocumentedCommandWithDocumentedFlagsAndVariables() {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : services().properties()) {
      JsonNode service = e.getValue();
      if (!isCodegloss(service)) {
        continue;
      }
      List<String> argv = command(service);
      assertThat(flags).as(e.getKey() + " command").containsKey(argv.get(0));
      Map<String, Boolean> allowed = flags.get(argv.get(0));
      for (int i = 1; i < argv.size(); i++) {
        String arg = argv.get(i);
        assertThat(allowed).as(e.getKey() + " flag").containsKey(arg);
        if (allowed.get(arg)) {
          assertThat(i + 1).as(arg + " needs a value").isLessThan(argv.size());
          assertThat(argv.get(++i)).doesNotStartWith("--");
        }
      }
      for (String name : environment(service).keySet()) {
        assertThat(variables).as(e.getKey() + " environment").contains(name);
      }
      assertThat(environment(service))
          .as(e.getKey() + " reaches the database")
          .containsKeys("CODEGLOSS_DB_URL", "CODEGLOSS_DB_USER", "CODEGLOSS_DB_PASSWORD");
      checked.add(e.getKey());
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void theComposeFileStartsPostgresTheSchedulerTwoDifferentWorkersAndTheDashboard() {
    JsonNode services = services();
    assertThat(services.path("postgres").path("image").asText()).startsWith("postgres:");
    assertThat(command(services.get("scheduler")))
        .containsExactly("scheduler", "--jobrunr-port", "8000", "--jobrunr-host", "0.0.0.0");
    assertThat(ports(services.get("scheduler"))).contains("8000:8000");
    assertThat(command(services.get("dashboard")))
        .containsExactly("dashboard", "--port", "7070", "--host", "0.0.0.0");
    assertThat(ports(services.get("dashboard"))).contains("7070:7070");

    List<List<String>> workers = new ArrayList<>();
    services
        .properties()
        .forEach(
            e -> {
              if (isCodegloss(e.getValue()) && command(e.getValue()).get(0).equals("worker")) {
                workers.add(command(e.getValue()));
              }
            });
    assertThat(workers)
        .contains(
            List.of("worker", "--max-tokens", "4096", "--concurrency", "1"),
            List.of("worker", "--max-tokens", "16384", "--concurrency", "2"));
  }

  /**
   * Both dashboards are published on every interface, so the compose file must hand them
   * credentials, and a missing password must stop compose rather than start them open.
   */
  @Test
  void thePublishedDashboardsGetCredentialsAndCannotStartWithoutAPassword() {
    JsonNode services = services();
    Map<String, String> scheduler = environment(services.get("scheduler"));
    assertThat(scheduler.get("CODEGLOSS_JOBRUNR_DASHBOARD_USER")).isNotBlank();
    assertThat(scheduler.get("CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD"))
        .startsWith("${CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD:?");
    assertThat(scheduler).doesNotContainKey("CODEGLOSS_JOBRUNR_DASHBOARD_OPEN");
    Map<String, String> dashboard = environment(services.get("dashboard"));
    assertThat(dashboard.get("CODEGLOSS_DASHBOARD_USER")).isNotBlank();
    assertThat(dashboard.get("CODEGLOSS_DASHBOARD_PASSWORD"))
        .startsWith("${CODEGLOSS_DASHBOARD_PASSWORD:?");
    assertThat(dashboard).doesNotContainKey("CODEGLOSS_DASHBOARD_OPEN");
  }

  @Test
  void theDatabaseCredentialsOfTheServicesMatchThePostgresService() {
    Map<String, String> pgEnv = environment(services().get("postgres"));
    assertThat(pgEnv).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
    services()
        .properties()
        .forEach(
            e -> {
              if (!isCodegloss(e.getValue())) {
                return;
              }
              Map<String, String> env = environment(e.getValue());
              assertThat(env.get("CODEGLOSS_DB_URL"))
                  .isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
              assertThat(env.get("CODEGLOSS_DB_USER")).isEqualTo(pgEnv.get("POSTGRES_USER"));
              assertThat(env.get("CODEGLOSS_DB_PASSWORD"))
                  .isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
            });
  }

  @Test
  void ollamaIsOptionalBehindAProfileAndTheWorkersKnowWhereItIs() {
    JsonNode ollama = services().get("ollama");
    assertThat(ollama.get("profiles")).extracting(JsonNode::asText).containsExactly("ollama");
    assertThat(ports(ollama)).contains("11434:11434");
    services()
        .properties()
        .forEach(
            e -> {
              if (isCodegloss(e.getValue()) && command(e.getValue()).get(0).equals("worker")) {
                Map<String, String> env = environment(e.getValue());
                assertThat(env).containsEntry("OLLAMA_HOST", "http://ollama:11434");
                assertThat(env.get("CODEGLOSS_BACKEND")).contains("embedded");
              }
            });
  }

  @Test
  void theImageIsBuiltInTwoStagesWithTheJarAndTheModelFetchedAtBuildTime() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).contains("maven").endsWith("AS build");
    assertThat(from.get(1)).contains("jre");
    assertThat(dockerfile)
        .contains("scripts/fetch-model.sh")
        .contains("cli/target/codegloss.jar")
        .contains("ENTRYPOINT [\"codegloss\"]");
    JsonNode scheduler = services().get("scheduler");
    assertThat(scheduler.path("build").asText()).isEqualTo(".");
  }

  private static JsonNode services() {
    return compose.get("services");
  }

  /** A service running this repository's image (built here, or the image the build is tagged). */
  private static boolean isCodegloss(JsonNode service) {
    return service.has("build")
        || service
            .path("image")
            .asText()
            .equals(services().path("scheduler").path("image").asText());
  }

  private static List<String> command(JsonNode service) {
    List<String> argv = new ArrayList<>();
    JsonNode c = service.get("command");
    assertThat(c).as("command is given as a list").isNotNull();
    assertThat(c.isArray()).as("command is given as a list").isTrue();
    c.forEach(a -> argv.add(a.asText()));
    return argv;
  }

  private static List<String> ports(JsonNode service) {
    List<String> out = new ArrayList<>();
    service.path("ports").forEach(p -> out.add(p.asText()));
    return out;
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = service.path("environment");
    e.properties().forEach(f -> env.put(f.getKey(), f.getValue().asText()));
    return env;
  }
}
