package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.bench.FixedLatencyEndpoint;
import io.codegloss.core.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition between machines, for real: a worker JVM in a network namespace of its own
 * ({@code ip netns}), reaching this test's PostgreSQL over a veth pair, takes a job; the link is
 * cut mid-job for longer than JobRunr's orphan timeout; another worker on the host takes the job
 * and completes it; the link comes back. The partitioned worker's late answer must not complete the
 * job a second time nor replace the other worker's note, and the worker must rejoin (heartbeat and
 * a JobRunr server again). Skipped, saying why, where namespaces cannot be made (needs root).
 *
 * <p>The "model" is the bench's FIXED-LATENCY ENDPOINT (no model), one in the namespace (its
 * 127.0.0.1 is the namespace's own) answering after 90 s, one on the host answering at once: this
 * is a queue and fault test, what is asserted is who completes the job and how often, not the
 * note's quality; the long latency keeps the partitioned worker's call in flight across the cut.
 */
@Tag("e2e")
class NetworkPartitionE2eTest {

  @Test
  void aWorkerCutOffMidJobLosesTheJobToAnotherAndItsLateAnswerChangesNothingThenItRejoins(
      @TempDir Path tmp) throws Exception {
    String unavailable = NetNs.unavailableBecause();
    Assumptions.assumeTrue(unavailable == null, unavailable);
    NetNs.deleteLeftovers();
    try (NetNs ns = NetNs.create();
        FaultFixture f = FaultFixture.startReachableFrom(tmp, ns);
        FixedLatencyEndpoint hostEndpoint = FixedLatencyEndpoint.start(Duration.ofMillis(200))) {
      try (Database db = f.migratedDatabase(4, "part")) {
        Map<String, String> hostEnv = env(f, f.pg().jdbcUrl(), hostEndpoint.baseUrl(), "x");
        Path repo = f.oneFunctionRepo();
        assertThat(E2e.run(hostEnv, "index", repo.toString()).code()).isZero();
        E2e.Result enqueued = E2e.run(hostEnv, "enqueue", repo.toString());
        assertThat(enqueued.code()).as(enqueued.err()).isZero();
        assertThat(count(db, "select count(*) from jobs")).as("one span, one job").isEqualTo(1);

        FaultFixture.Endpoint nsEndpoint = f.startEndpointIn(ns, 90_000);
        String nsUrl = f.jdbcUrlFrom(ns);
        ChildJvm part =
            f.startIn(
                ns,
                "part-w",
                env(f, nsUrl, nsEndpoint.baseUrl(), nsEndpoint.model()),
                "worker",
                "--name",
                "part-w");
        // The job is in flight on the worker in the namespace: claimed, its call under way.
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(300))
            .until(() -> f.endpointOutput().contains("RECEIVED"));
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () ->
                    count(
                            db,
                            "select count(*) from jobs where worker = 'part-w'"
                                + " and status = 'processing'")
                        == 1);

        ns.cut();
        ChildJvm host =
            f.start(
                "host-w",
                env(f, f.pg().jdbcUrl(), hostEndpoint.baseUrl(), hostEndpoint.modelName()),
                "worker",
                "--name",
                "host-w");
        // JobRunr gives the orphaned job to the host worker, which completes it.
        await()
            .atMost(Duration.ofSeconds(240))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> count(db, "select count(*) from enrichments where worker = 'host-w'") == 1);
        assertThat(host.alive()).isTrue();
        ns.restore();

        // The partitioned worker's answer falls due (90 s after its call began), over the
        // restored link. JobRunr may already have interrupted that call when it stopped the
        // partitioned worker's server (HTTP calls honour interrupts); an answer that does come
        // back must be discarded (EnrichJobRunnerFaultsTest covers that path on its own).
        await()
            .atMost(Duration.ofSeconds(240))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> f.endpointOutput().contains("ANSWERED"));
        await()
            .during(Duration.ofSeconds(20))
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    count(
                            db,
                            "select count(*) from llm_calls where worker = 'part-w'"
                                + " and outcome in ('ok', 'partial')")
                        == 0);
        assertThat(part.alive()).as(() -> "part-w died:\n" + part.output()).isTrue();
        Matcher answered = Pattern.compile("ANSWERED (.*)").matcher(f.endpointOutput());
        // which way the late answer went, for whoever reads the test's output
        System.out.println(
            "partition: the cut-off worker's answer: "
                + (answered.find() ? answered.group(1) : "?")
                + "; discarded late answers recorded: "
                + count(
                    db,
                    "select count(*) from llm_calls where worker = 'part-w' and error like ?",
                    "late answer discarded%"));

        // Nothing doubled, nothing overwritten: the host worker's note stands and the job was
        // completed once.
        assertThat(count(db, "select count(*) from enrichments")).isEqualTo(1);
        assertThat(count(db, "select count(*) from enrichments where worker = 'host-w'"))
            .isEqualTo(1);
        assertThat(
                count(
                    db,
                    "select count(*) from llm_calls where outcome in ('ok', 'partial')"
                        + " group by job_id order by 1 desc limit 1"))
            .as("calls that completed the job")
            .isEqualTo(1);
        assertThat(
                count(
                    db,
                    "select count(*) from llm_calls where worker = 'part-w'"
                        + " and outcome in ('ok', 'partial')"))
            .isZero();

        // ... and the partitioned worker is back: a JobRunr server and a fresh heartbeat.
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    count(
                                db,
                                "select count(*) from jobrunr_backgroundjobservers"
                                    + " where name = 'part-w'")
                            == 1
                        && count(
                                db,
                                "select count(*) from workers where name = 'part-w'"
                                    + " and state = 'running'"
                                    + " and last_heartbeat > now() - interval '10 seconds'")
                            == 1);
        assertThat(part.output()).doesNotContain("\tat ").doesNotContain("Exception in thread");
      }
    }
  }

  /** A worker on the database at {@code url}, asking the model at {@code llmUrl}. */
  private static Map<String, String> env(FaultFixture f, String url, String llmUrl, String model) {
    Map<String, String> env = FaultFixture.withEndpoint(f.env(url), llmUrl, model);
    env.put("CODEGLOSS_RETRY_BASE_SECONDS", "3600");
    return env;
  }
}
