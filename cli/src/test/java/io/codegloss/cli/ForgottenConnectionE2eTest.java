package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.db.DbSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database forgets a worker's connections while the worker waits for an answer, as after a
 * failover or a crash of the database's host: a worker JVM in a network namespace ({@code ip
 * netns}) is inside a statement (its claim of a job, held up by a row lock this test takes); the
 * link is cut, the server's ends of the worker's connections are destroyed ({@code ss -K}, their
 * resets lost on the cut link) and the link comes back. Nothing will ever answer the waiting
 * statement, and the worker's other connections and heartbeats carry on, so without a socket
 * timeout the job stays held for good by a worker that looks alive. With {@code
 * CODEGLOSS_DB_SOCKET_TIMEOUT_SECONDS} the worker gives the statement up, the job runs again and
 * the span gets its note. Skipped, saying why, where namespaces cannot be made (needs root).
 *
 * <p>The "model" is the bench's FIXED-LATENCY ENDPOINT (no model), in the namespace: what is
 * asserted is that the job is not lost, not the note's quality.
 */
@Tag("e2e")
class ForgottenConnectionE2eTest {

  private static final int SOCKET_TIMEOUT_SECONDS = 8;

  @Test
  void aWorkerWhoseStatementTheDatabaseForgotGivesItUpAndItsJobStillGetsDone(@TempDir Path tmp)
      throws Exception {
    String unavailable = NetNs.unavailableBecause();
    Assumptions.assumeTrue(unavailable == null, unavailable);
    Assumptions.assumeTrue(ssCanDestroySockets(), "ss -K (sock_destroy) is not available here");
    NetNs.deleteLeftovers();
    try (NetNs ns = NetNs.create();
        FaultFixture f = FaultFixture.startReachableFrom(tmp, ns)) {
      try (Database db = f.migratedDatabase(4, "forgot")) {
        Path repo = f.oneFunctionRepo();
        Map<String, String> hostEnv = f.env(f.pg().jdbcUrl());
        assertThat(E2e.run(hostEnv, "index", repo.toString()).code()).isZero();
        E2e.Result enqueued = E2e.run(hostEnv, "enqueue", repo.toString());
        assertThat(enqueued.code()).as(enqueued.err()).isZero();
        FaultFixture.Endpoint endpoint = f.startEndpointIn(ns, 100);

        try (Connection lock = db.dataSource().getConnection()) {
          // The worker's claim of the job will wait on this lock, inside the server.
          lock.setAutoCommit(false);
          try (Statement st = lock.createStatement()) {
            st.execute("select id from jobs for update");
          }
          Map<String, String> env =
              FaultFixture.withEndpoint(
                  f.env(f.jdbcUrlFrom(ns)), endpoint.baseUrl(), endpoint.model());
          env.put(DbSettings.SOCKET_TIMEOUT, Integer.toString(SOCKET_TIMEOUT_SECONDS));
          ChildJvm worker = f.startIn(ns, "ns-w", env, "worker", "--name", "ns-w");
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(300))
              .until(
                  () ->
                      count(
                              db,
                              "select count(*) from pg_stat_activity where client_addr = ?::inet"
                                  + " and wait_event_type = 'Lock'",
                              ns.nsAddress)
                          == 1);

          ns.cut();
          destroyServerSockets(ns, f.pg().port());
          lock.rollback();
          ns.restore();

          // Given up after the socket timeout, the job runs again on the same worker.
          await()
              .atMost(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS + 120))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> count(db, "select count(*) from enrichments where worker = 'ns-w'") == 1);
          assertThat(worker.alive()).as(() -> "ns-w died:\n" + worker.output()).isTrue();
          assertThat(worker.output()).doesNotContain("\tat ").doesNotContain("Exception in");
        }
      }
    }
  }

  /**
   * Destroys PostgreSQL's end of every connection from the namespace. The link is down, so the
   * resets they send are lost and the worker is never told.
   */
  private static void destroyServerSockets(NetNs ns, int port) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ss", "-K", "src", ns.hostAddress, "sport", "=", ":" + port, "dst", ns.nsAddress));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("the server's connections to the worker").contains(ns.nsAddress);
  }

  private static boolean ssCanDestroySockets() {
    try {
      // A filter that matches nothing: only a kernel without sock_destroy refuses the request.
      Process p =
          new ProcessBuilder("ss", "-K", "dst", "127.0.0.1", "dport", "=", ":1")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
