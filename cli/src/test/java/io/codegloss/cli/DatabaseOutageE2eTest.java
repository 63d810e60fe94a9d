package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers and the scheduler survive a PostgreSQL outage longer than JobRunr tolerates (JobRunr
 * stops its server: "An unrecoverable error occurred"). A worker runs a new JobRunr server before
 * it says "alive" again, takes a job enqueued after the outage, and drains on SIGTERM (during or
 * after the outage) without a stack trace; the scheduler runs a new JobRunr master. The database is
 * a PostgreSQL of this test alone (the shared test server must not go down under other tests).
 */
@Tag("e2e")
class DatabaseOutageE2eTest {

  private static final String NAME = "outage-w";

  @Test
  void aWorkerResumesAfterALongDatabaseOutageAndNeverHeartbeatsWithoutAJobRunrServer(
      @TempDir Path tmp) throws Exception {
    EmbeddedPostgres.Options options = pgOptions(tmp);
    EmbeddedPostgres pg = EmbeddedPostgres.start(options);
    Path repo = oneFunctionRepo(tmp);
    Map<String, String> env = workerEnv(pg, tmp);
    ChildJvm worker = null;
    try (Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), 6, "outage")) {
      DbMigrations.apply(db.dataSource());
      worker = startWorker(tmp, env);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> jobServers(db) == 1 && alive(db));
      String firstServer = jobServerId(db);

      // The outage: long enough for JobRunr to give its server up.
      int port = pg.port();
      pg.stop();
      ChildJvm w = worker;
      await()
          .atMost(Duration.ofSeconds(100))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> w.output().contains("unrecoverable error"));
      pg = EmbeddedPostgres.start(options);
      assertThat(pg.port()).as("the database came back on its port").isEqualTo(port);

      // Back: a fresh heartbeat is only ever written once a new JobRunr server is announced. One
      // statement, one snapshot: a heartbeat seen without a new server is the bug.
      AtomicBoolean heartbeatWithoutServer = new AtomicBoolean();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                try {
                  long[] seen = heartbeatAndNewServer(db, firstServer);
                  if (seen[0] == 1 && seen[1] == 0) {
                    heartbeatWithoutServer.set(true);
                  }
                  return seen[0] == 1;
                } catch (RuntimeException e) {
                  return false; // the pool is still reconnecting
                }
              });
      // This once failed 2 of 5 runs: a heartbeat decided before the outage waited for a pooled
      // connection and was written once the database was back, after JobRunr had stopped its
      // server. The worker now checks its server again with the connection in hand.
      ChildJvm w2 = worker;
      assertThat(heartbeatWithoutServer)
          .as(() -> "a heartbeat after the outage without a new JobRunr server:\n" + w2.output())
          .isFalse();

      // ... and it has capacity: a job enqueued after the outage gets done.
      E2e.Result enqueued = E2e.run(env, "enqueue", repo.toString(), "--json");
      assertThat(enqueued.code()).as(enqueued.err()).isZero();
      assertThat(count(db, "select count(*) from jobs")).isPositive();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  count(db, "select count(*) from jobs where status in ('enqueued', 'processing')")
                      == 0);
      assertThat(count(db, "select count(*) from llm_calls where worker = ?", NAME)).isPositive();

      // SIGTERM: drains, writes 'stopped', no stack trace.
      int before = worker.output().length();
      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).isIn(0, 143);
      String drainOutput = worker.output().substring(before);
      assertThat(drainOutput).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(
              count(db, "select count(*) from workers where name = ? and state = 'stopped'", NAME))
          .isEqualTo(1);
    } finally {
      if (worker != null) {
        worker.close();
      }
      if (EmbeddedPostgres.isRunning(options.home())) {
        pg.stop();
      }
    }
  }

  @Test
  void sigtermDuringTheOutageExitsWithOneLineAndNoStackTrace(@TempDir Path tmp) throws Exception {
    EmbeddedPostgres.Options options = pgOptions(tmp);
    EmbeddedPostgres pg = EmbeddedPostgres.start(options);
    ChildJvm worker = null;
    try (Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), 6, "outage")) {
      DbMigrations.apply(db.dataSource());
      worker = startWorker(tmp, workerEnv(pg, tmp));
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> jobServers(db) == 1 && alive(db));
      pg.stop();
      ChildJvm w = worker;
      await()
          .atMost(Duration.ofSeconds(100))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> w.output().contains("unrecoverable error"));

      int before = worker.output().length();
      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(90))).isIn(0, 143);
      String drainOutput = worker.output().substring(before);
      assertThat(drainOutput)
          .doesNotContain("Exception in thread")
          .doesNotContain("\tat ")
          .contains("cannot record 'stopped'");
    } finally {
      if (worker != null) {
        worker.close();
      }
      if (EmbeddedPostgres.isRunning(options.home())) {
        pg.stop();
      }
    }
  }

  /**
   * A worker JVM with the production logging set-up (the test classpath carries a test one that
   * prints stack traces), so that its output is what an operator's console shows.
   */
  private static ChildJvm startWorker(Path tmp, Map<String, String> env) {
    return startChild("worker", tmp, env, "worker", "--name", NAME);
  }

  private static ChildJvm startChild(
      String name, Path tmp, Map<String, String> env, String... args) {
    return ChildJvm.start(
        name,
        tmp.resolve("logs"),
        env,
        List.of(
            "-Dlogback.configurationFile="
                + Path.of("target/classes/logback.xml").toAbsolutePath()),
        args);
  }

  @Test
  void theSchedulerRunsANewJobRunrMasterAfterALongOutageAndItsRoundsGoOn(@TempDir Path tmp)
      throws Exception {
    EmbeddedPostgres.Options options = pgOptions(tmp);
    EmbeddedPostgres pg = EmbeddedPostgres.start(options);
    Map<String, String> env = workerEnv(pg, tmp);
    env.put("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "3");
    ChildJvm scheduler = null;
    try (Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), 6, "outage")) {
      DbMigrations.apply(db.dataSource());
      scheduler = startChild("scheduler", tmp, env, "scheduler", "--jobrunr-port", "0");
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> servers(db, "scheduler") == 1);
      String first = serverId(db, "scheduler");
      int port = pg.port();
      pg.stop();
      ChildJvm s = scheduler;
      await()
          .atMost(Duration.ofSeconds(100))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> s.output().contains("unrecoverable error"));
      pg = EmbeddedPostgres.start(options);
      assertThat(pg.port()).as("the database came back on its port").isEqualTo(port);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  count(
                          db,
                          "select count(*) from jobrunr_backgroundjobservers"
                              + " where name = 'scheduler' and id::text <> ?",
                          first)
                      == 1);
      assertThat(scheduler.alive()).isTrue();
      assertThat(scheduler.output()).doesNotContain("\tat ");
    } finally {
      if (scheduler != null) {
        scheduler.close();
      }
      if (EmbeddedPostgres.isRunning(options.home())) {
        pg.stop();
      }
    }
  }

  private static long servers(Database db, String name) {
    return count(db, "select count(*) from jobrunr_backgroundjobservers where name = ?", name);
  }

  private static String serverId(Database db, String name) {
    return db.withConnection(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "select id::text from jobrunr_backgroundjobservers where name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
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

  /** A worker on {@code pg} with the e2e tests' fast JobRunr timings. */
  private static Map<String, String> workerEnv(EmbeddedPostgres pg, Path tmp) {
    Map<String, String> env = new HashMap<>();
    env.put("CODEGLOSS_DB_URL", pg.jdbcUrl());
    env.put("CODEGLOSS_DB_USER", pg.user());
    env.put("CODEGLOSS_DB_PASSWORD", pg.password());
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    env.put("CODEGLOSS_MODEL_PATH", E2e.model().toString());
    env.put("CODEGLOSS_POLL_SECONDS", "5");
    env.put("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", "4");
    env.put("CODEGLOSS_RETRY_BASE_SECONDS", "3600");
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  private static boolean alive(Database db) {
    return count(
            db,
            "select count(*) from workers where name = ? and state = 'running'"
                + " and last_heartbeat > now() - interval '10 seconds'",
            NAME)
        == 1;
  }

  private static long jobServers(Database db) {
    return count(db, "select count(*) from jobrunr_backgroundjobservers where name = ?", NAME);
  }

  private static String jobServerId(Database db) {
    return db.withConnection(
        c -> {
          try (var ps =
              c.prepareStatement("select id from jobrunr_backgroundjobservers where name = ?")) {
            ps.setString(1, NAME);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  /** [fresh heartbeat (0/1), a JobRunr server other than the first (0/1)] in one snapshot. */
  private static long[] heartbeatAndNewServer(Database db, String firstServer) {
    return db.withConnection(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "select (select count(*) from workers where name = ? and state = 'running'"
                      + "   and last_heartbeat > now() - interval '4 seconds'),"
                      + " (select count(*) from jobrunr_backgroundjobservers"
                      + "   where name = ? and id::text <> ?)")) {
            ps.setString(1, NAME);
            ps.setString(2, NAME);
            ps.setString(3, firstServer);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return new long[] {rs.getLong(1), Math.min(1, rs.getLong(2))};
            }
          }
        });
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
