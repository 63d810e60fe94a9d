package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command line without a database: help, usage errors and bad values. Every error is one line
 * on stderr and exit code 2, before anything is opened.
 */
class CommandLineTest {

  @TempDir Path tmp;

  private E2e.Result run(String... args) {
    return run(Map.of(), args);
  }

  private E2e.Result run(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    // unreachable on purpose: a test that got as far as the database fails fast and visibly
    env.putIfAbsent("CODEGLOSS_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
    return E2e.run(env, args);
  }

  private static void assertUsageError(E2e.Result r, String... fragments) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).startsWith("codegloss: ").doesNotContain("\n");
    assertThat(r.err()).contains(fragments).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void helpIsGeneratedForTheToolAndEveryCommand() {
    E2e.Result top = run("--help");
    assertThat(top.code()).isZero();
    for (String command :
        new String[] {
          "index",
          "status",
          "spans",
          "plan",
          "enqueue",
          "scheduler",
          "worker",
          "dashboard",
          "up",
          "show",
          "stats",
          "bench"
        }) {
      assertThat(top.out()).contains("  " + command + " ");
      E2e.Result help = run(command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: codegloss " + command);
    }
    assertThat(run().out()).as("no command prints the help").isEqualTo(top.out());
    assertThat(run("help", "plan").out()).contains("--batch-max-line-gap");
    assertThat(run("bench", "--help").out()).contains("--real-scaling-workers", "--db-url");
    assertThat(run("worker", "-h").out()).contains("CODEGLOSS_WORKER_MAX_TOKENS");
  }

  @Test
  void versionBothWays() {
    assertThat(run("version").out().strip()).isEqualTo("codegloss " + CodeglossMain.VERSION);
    assertThat(run("--version").out().strip()).isEqualTo("codegloss " + CodeglossMain.VERSION);
  }

  @Test
  void anUnknownFlagIsNamedEvenAtTheEndOfTheLine() {
    // was: "flag --bogus needs a value"
    assertUsageError(run("index", "x", "--bogus"), "unknown flag --bogus for 'index'");
    assertUsageError(run("status", "--bogus=1"), "unknown flag --bogus for 'status'");
  }

  @Test
  void unknownCommandsAndStrayArgumentsAreUsageErrors() {
    assertUsageError(run("frobnicate"), "unknown command 'frobnicate'");
    assertUsageError(run("status", "extra"), "unexpected argument 'extra'");
    assertUsageError(run("show"), "SYMBOL");
    assertUsageError(run("bench", "--limit"), "--limit");
  }

  @Test
  void badNumbersAreUsageErrorsNotCrashes() {
    // was: "unexpected failure: NumberFormatException"
    assertUsageError(run("bench", "--limit", "abc"), "invalid value 'abc' for --limit");
    assertUsageError(run("show", "file.py:99999999999"), "invalid line number '99999999999'");
    assertUsageError(run("bench", "--workers", "1,x"), "--workers");
  }

  @Test
  void aBadSettingFlagNamesTheVariableAndTheFlag() {
    assertUsageError(
        run("worker", "--max-tokens", "lots"),
        "invalid value 'lots' for CODEGLOSS_WORKER_MAX_TOKENS (from flag --max-tokens)");
    assertUsageError(
        run("plan", tmp.toString(), "--batch", "maybe"),
        "invalid value 'maybe' for RAG_BATCH_ENRICHMENT (from flag --batch)");
    assertUsageError(
        run("plan", tmp.toString(), "--batch-max-tokens", "0"),
        "RAG_BATCH_MAX_TOKENS (from flag --batch-max-tokens)");
  }

  @Test
  void aDashboardOnTheNetworkWithoutCredentialsIsRefusedUnlessExplicitlyOpen() {
    assertUsageError(
        run("dashboard", "--host", "0.0.0.0"),
        "CODEGLOSS_DASHBOARD_HOST",
        "CODEGLOSS_DASHBOARD_OPEN");
    assertUsageError(
        run("scheduler", "--jobrunr-host", "0.0.0.0"),
        "CODEGLOSS_JOBRUNR_HOST",
        "CODEGLOSS_JOBRUNR_DASHBOARD_OPEN");
    assertUsageError(run("up", tmp.toString(), "--host", "0.0.0.0"), "CODEGLOSS_DASHBOARD_OPEN");
    assertUsageError(
        run("up", tmp.toString(), "--jobrunr-host", "0.0.0.0"), "CODEGLOSS_JOBRUNR_DASHBOARD_OPEN");
    // Opted in (or with credentials) it gets past the check, to the unreachable database.
    E2e.Result open =
        run(Map.of("CODEGLOSS_DASHBOARD_OPEN", "on"), "dashboard", "--host", "0.0.0.0");
    assertThat(open.err()).doesNotContain("CODEGLOSS_DASHBOARD_OPEN");
    E2e.Result locked =
        run(
            Map.of(
                "CODEGLOSS_JOBRUNR_DASHBOARD_USER", "ops",
                "CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD", "pw"),
            "scheduler",
            "--jobrunr-host",
            "0.0.0.0");
    assertThat(locked.err()).doesNotContain("CODEGLOSS_JOBRUNR_DASHBOARD_OPEN");
  }

  @Test
  void halfSetDashboardCredentialsAreRefused() {
    assertUsageError(
        run(Map.of("CODEGLOSS_JOBRUNR_DASHBOARD_USER", "ops"), "scheduler"),
        "CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD");
    assertUsageError(
        run(Map.of("CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD", "pw"), "scheduler"),
        "CODEGLOSS_JOBRUNR_DASHBOARD_USER");
    assertUsageError(
        run(Map.of("CODEGLOSS_DASHBOARD_USER", "ops"), "dashboard"),
        "CODEGLOSS_DASHBOARD_PASSWORD");
  }

  @Test
  void aBadVariableNamesWhereItCameFrom() {
    assertUsageError(
        run(Map.of("RAG_BATCH_MIN_SIZE", "none"), "plan", tmp.toString()),
        "RAG_BATCH_MIN_SIZE (from environment)");
  }

  @Test
  void aBadValueInTheConfigFileNamesTheFile() throws Exception {
    Path config = tmp.resolve("settings.properties");
    Files.writeString(config, "RAG_BATCH_MAX_LINE_GAP = wide\n");
    assertUsageError(
        run("plan", tmp.toString(), "--config", config.toString()),
        "RAG_BATCH_MAX_LINE_GAP (from config file " + config + ")");
    assertUsageError(
        run(Map.of("CODEGLOSS_CONFIG", config.toString()), "plan", tmp.toString()),
        "RAG_BATCH_MAX_LINE_GAP (from config file");
    assertUsageError(
        run("status", "--config", tmp.resolve("missing.properties").toString()),
        "missing.properties does not exist");
  }

  @Test
  void aFlagWinsOverTheEnvironment() {
    E2e.Result r =
        run(Map.of("RAG_BATCH_MIN_SIZE", "none"), "plan", tmp.toString(), "--batch-min-size", "3");
    // got past the settings to the (unreachable) database
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("RAG_BATCH_MIN_SIZE");
  }

  @Test
  void everyBatchingFlagIsAcceptedWhereTheDocsPromiseIt() {
    // was: "unknown flag --batch" (the hand-kept list spelled the flags with their dashes)
    for (String command : new String[] {"plan", "enqueue", "scheduler", "up"}) {
      ParseResult parsed =
          CodeglossMain.commandLine(System.out, System.err)
              .parseArgs(
                  command,
                  "--batch",
                  "off",
                  "--batch-max-tokens",
                  "1500",
                  "--batch-max-line-gap",
                  "50",
                  "--batch-min-size",
                  "3",
                  "--batch-large-span-lines",
                  "400");
      assertThat(SettingFlags.values(parsed.subcommand().commandSpec()))
          .as(command)
          .containsEntry("RAG_BATCH_ENRICHMENT", "off")
          .containsEntry("RAG_BATCH_MAX_TOKENS", "1500")
          .containsEntry("RAG_BATCH_MAX_LINE_GAP", "50")
          .containsEntry("RAG_BATCH_MIN_SIZE", "3")
          .containsEntry("RAG_BATCH_LARGE_SPAN_LINES", "400");
    }
  }

  @Test
  void aFlagGivenTwiceTakesTheLastValue() {
    ParseResult parsed =
        CodeglossMain.commandLine(System.out, System.err)
            .parseArgs("plan", "--batch", "on", "--batch=off");
    assertThat(SettingFlags.values(parsed.subcommand().commandSpec()))
        .containsEntry("RAG_BATCH_ENRICHMENT", "off");
  }

  @Test
  void benchSettingFlagsBecomeTheirVariables() {
    CommandLine cl = CodeglossMain.commandLine(System.out, System.err);
    ParseResult parsed =
        cl.parseArgs(
            "bench", "--backend=openai", "--batch-max-tokens", "1500", "--db-url", "jdbc:x");
    assertThat(SettingFlags.values(parsed.subcommand().commandSpec()))
        .containsEntry("CODEGLOSS_BACKEND", "openai")
        .containsEntry("RAG_BATCH_MAX_TOKENS", "1500")
        .containsEntry("CODEGLOSS_DB_URL", "jdbc:x")
        .hasSize(3);
  }
}
