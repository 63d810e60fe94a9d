package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.bench.FixedLatencyEndpoint;
import io.codegloss.core.db.Database;
import java.nio.file.Path;
import java.time.Duration;
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
    try (FaultFixture f = FaultFixture.start(tmp);
        FixedLatencyEndpoint endpoint = FixedLatencyEndpoint.start(Duration.ofSeconds(4));
        Database db = f.migratedDatabase(4, "until")) {
      Path repo = f.oneFunctionRepo();
      Map<String, String> env =
          FaultFixture.withEndpoint(f.env(), endpoint.baseUrl(), endpoint.modelName());
      env.put("CODEGLOSS_SCHEDULER_INTERVAL_SECONDS", "3");
      env.put("CODEGLOSS_LOST_JOB_SECONDS", "30");
      env.put("CODEGLOSS_RETRY_BASE_SECONDS", "2");
      ChildJvm child;
      if (up) {
        child = f.start("up", env, "up", repo.toString(), "--until-done", "--no-dashboard");
      } else {
        assertThat(E2e.run(env, "index", repo.toString()).code()).isZero();
        E2e.Result enqueued = E2e.run(env, "enqueue", repo.toString());
        assertThat(enqueued.code()).as(enqueued.err()).isZero();
        child = f.start("worker", env, "worker", "--name", "until-w", "--until-idle");
      }
      // A call in flight: the job cannot finish before the database is gone.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> endpoint.requests() > 0);
      f.stopDatabase();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> child.output().contains("the database is unreachable"));
      assertThat(child.alive()).as("it waits instead of exiting").isTrue();

      f.startDatabaseAgain();
      assertThat(child.waitFor(Duration.ofSeconds(240)))
          .as(() -> "exit code; output:\n" + child.output())
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
    }
  }
}
