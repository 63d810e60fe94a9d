package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.bench.FixedLatencyEndpoint;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker --until-idle} and {@code up --until-done} through a database outage, as an operator
 * runs them: the real CLI in a JVM of its own on a PostgreSQL of this test alone, stopped while a
 * job is in flight and started again. The process says so in one line, waits, says when the
 * database answers again, finishes the work and exits 0, with no stack trace on the console.
 *
 * <p>The model is the bench's FIXED-LATENCY ENDPOINT (no model): this is a queue and fault test,
 * what is asserted is that the job settles once and the process resumes, not the note's quality;
 * its latency keeps a job in flight while the database goes down.
 */
@Tag("e2e")
class UntilIdleOutageE2eTest {

  @Test
  void workerUntilIdleSaysTheDatabaseIsDownWaitsAndFinishesTheJobOnceItIsBack(@TempDir Path tmp)
      throws Exception {
    runThroughAnOutage(tmp, false);
  }

  @Test
  void upUntilDoneSaysTheDatabaseIsDownWaitsAndFinishesOnceItIsBack(@TempDir Path tmp)
      throws Exception {
    runThroughAnOutage(tmp, true);
  }

  private static void runThroughAnOutage(Path tmp, boolean up) throws Exception {
    EmbeddedPostgres.Options options = pgOptions(tmp);
    EmbeddedPostgres pg = EmbeddedPostgres.start(options);
    Path repo = oneFunctionRepo(tmp);
    ChildJvm child = null;
    try (FixedLatencyEndpoint endpoint = FixedLatencyEndpoint.start(Duration.ofSeconds(4));
        Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), 4, "until")) {
      DbMigrations.apply(db.dataSource());
      Map<String, String> env = env(pg, tmp, endpoint);
      if (up) {
        child =
            ChildJvm.start(
                "up",
                tmp.resolve("logs"),
                env,
                productionLogging(),
                "up",
                repo.toString(),
                "--until-done",
                "--no-dashboard");
      } else {
        assertThat(E2e.run(env, "index", repo.toString()).code()).isZero();
        E2e.Result enqueued = E2e.run(env, "enqueue", repo.toString());
        assertThat(enqueued.code()).as(enqueued.err()).isZero();
        child =
            ChildJvm.start(
                "worker",
                tmp.resolve("logs"),
                env,
                productionLogging(),
                "worker",
                "--name",
                "until-w",
                "--until-idle");
      }
      // A call in flight: the job cannot finish before the database is gone.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> endpoint.requests() > 0);
      int port = pg.port();
      pg.stop();
      ChildJvm c = child;
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> c.output().contains("the database is unreachable"));
      assertThat(child.alive()).as("it waits instead of exiting").isTrue();

      pg = EmbeddedPostgres.start(options);
      assertThat(pg.port()).isEqualTo(port);
      assertThat(child.waitFor(Duration.ofSeconds(240)))
          .as(() -> "exit code; output:\n" + c.output())
          .isZero();
      String output = child.output();
      assertThat(output)
          .contains("the database answers again; continuing")
          .doesNotContain("\tat ")
          .doesNotContain("Exception in thread");
      // One line per outage, not one per check.
      assertThat(output.split("the database is unreachable", -1)).hasSize(2);

      long spans = count(db, "select count(*) from spans");
      assertThat(spans).isPositive();
      assertThat(count(db, "select count(*) from enrichments")).isEqualTo(spans);
      assertThat(count(db, "select count(*) from jobs where status in ('enqueued', 'processing')"))
          .isZero();
    } finally {
      if (child != null) {
        child.close();
      }
      if (EmbeddedPostgres.isRunning(options.home())) {
        pg.stop();
      }
    }
  }

  /** The production console (the test classpath carries a logback that prints stack traces). */
  private static List<String> productionLogging() {
    return List.of(
        "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
  }

  private static Map<String, String> env(
      EmbeddedPostgres pg, Path tmp, FixedLatencyEndpoint endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("CODEGLOSS_DB_URL", pg.jdbcUrl());
    env.put("CODEGLOSS_DB_USER", pg.user());
    env.put("CODEGLOSS_DB_PASSWORD", pg.password());
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    env.put("CODEGLOSS_BACKEND", "openai");
    env.put("OPENAI_BASE_URL", endpoint.baseUrl());
    env.put("CODEGLOSS_MODEL", endpoint.modelName());
    env.put("OPENAI_API_KEY", "");
    env.put("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema");
    env.put("CODEGLOSS_POLL_SECONDS", "5");
    env.put("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", "4");
    env.put("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "3");
    env.put("CODEGLOSS_LOST_JOB_SECONDS", "30");
    env.put("CODEGLOSS_RETRY_BASE_SECONDS", "2");
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  private static EmbeddedPostgres.Options pgOptions(Path tmp) throws Exception {
    EmbeddedPostgres.Options options =
        EmbeddedPostgres.Options.of(tmp.resolve("pg"))
            .withBinariesCache(
                Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "codegloss-pg-bin-" + System.getProperty("user.name")))
            .withServerSettings(Map.of("fsync", "off", "synchronous_commit", "off"));
    Files.createDirectories(options.home());
    return options;
  }

  private static Path oneFunctionRepo(Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(
        repo.resolve("calc.py"),
        "def add(a, b):\n    \"\"\"Adds two numbers.\"\"\"\n    return a + b\n");
    return repo;
  }
}
