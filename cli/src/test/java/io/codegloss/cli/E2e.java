package io.codegloss.cli;

import io.codegloss.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Shared set-up of the end-to-end tests: a fixture repository, a database, the real model. */
public final class E2e {

  private E2e() {}

  /** The default model, fetched once by scripts/fetch-model.sh; the tests never download. */
  static Path model() {
    String home = System.getenv("CODEGLOSS_HOME");
    Path base =
        home == null ? Path.of(System.getProperty("user.home"), ".codegloss") : Path.of(home);
    Path model = base.resolve("models/gemma-3-270m-q4_k_m.gguf");
    if (!Files.isRegularFile(model)) {
      throw new AssertionError(
          "the default model is missing at "
              + model
              + ": run scripts/fetch-model.sh (scripts/test.sh does)");
    }
    return model;
  }

  /** A copy of src/test/resources/fixture-repo in {@code dir} (the MCP tests' too). */
  public static Path fixtureRepo(Path dir) {
    Path source = Path.of("src/test/resources/fixture-repo").toAbsolutePath();
    Path target = dir.resolve("repo");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path t = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Environment of a codegloss process working on {@code db} with fast JobRunr timings. */
  static Map<String, String> env(TestDatabase db, Path home) {
    Map<String, String> env = new HashMap<>(db.childEnvironment());
    env.put("CODEGLOSS_HOME", home.toString());
    env.put("CODEGLOSS_MODEL_PATH", model().toString());
    env.put("CODEGLOSS_POLL_SECONDS", "5");
    env.put("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", "4");
    env.put("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "3");
    env.put("CODEGLOSS_LOST_JOB_SECONDS", "30");
    // A span that failed is offered again only after the test: its backoff is an hour.
    env.put("CODEGLOSS_RETRY_BASE_SECONDS", "3600");
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  /** Runs a command in this JVM, as the launcher would in its own. */
  record Result(int code, String out, String err) {}

  static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CodeglossMain.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
