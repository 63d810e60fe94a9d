package io.codegloss.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.facts.SpanFacts;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's claim reads a job's spans and what their prompts need in one statement. */
class JobTableClaimTest {

  private TestDatabase db;
  private Seed seed;
  private long user;
  private long getEmail;
  private long setEmail;
  private long helper;

  @BeforeEach
  void seedFixture() {
    db = TestDatabase.fresh();
    seed = Seed.into(db).repo("/src/app").file("app/user.py");
    user = seed.span("User", s -> s.kind("class").lines(1, 30)).spanId();
    // inserted out of line order: members come back in line order
    setEmail = seed.span("User.set_email", s -> s.parent(user).lines(14, 17)).spanId();
    getEmail = seed.span("User.get_email", s -> s.parent(user).lines(11, 12)).spanId();
    helper = seed.span("helper", s -> s.lines(40, 45)).spanId();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<JobTable.ClaimedSpan> claim(long... spanIds) {
    UUID job = seed.job(j -> j.kind("batch").status("enqueued").tokens(100).spans(spanIds)).jobId();
    return db.database().withConnection(c -> JobTable.claimSpans(c, job));
  }

  @Test
  void theJobsSpansComeInPromptOrderWithTheirCodeAndPlannedHash() {
    List<JobTable.ClaimedSpan> spans = claim(helper, user, getEmail);

    assertThat(spans)
        .extracting(s -> s.job().span().symbol())
        .containsExactly("helper", "User", "User.get_email");
    assertThat(spans).extracting(s -> s.job().ordinal()).containsExactly(1, 2, 3);
    assertThat(spans).allSatisfy(s -> assertThat(s.settled()).isFalse());
  }

  @Test
  void aSpanWithANoteForItsCurrentCodeIsSettledAsSpanStateSays() {
    seed.enrichment(getEmail);
    seed.enrichment(helper, e -> e.hash("code-before-an-edit"));

    List<JobTable.ClaimedSpan> spans = claim(getEmail, helper);

    assertThat(spans.get(0).enriched()).isTrue();
    assertThat(spans.get(0).settled()).isTrue();
    assertThat(spans.get(1).enriched()).isFalse();
    boolean viewSays =
        db.database().withConnection(c -> SpanStates.state(c, getEmail)) == SpanState.ENRICHED;
    assertThat(viewSays).isTrue();
  }

  @Test
  void aSpanEditedAfterThePlanIsSettled() {
    UUID job = seed.job(j -> j.kind("single").status("enqueued").tokens(10).spans(helper)).jobId();
    seed.editSpan(helper);

    List<JobTable.ClaimedSpan> spans =
        db.database().withConnection(c -> JobTable.claimSpans(c, job));

    assertThat(spans).singleElement().satisfies(s -> assertThat(s.settled()).isTrue());
  }

  @Test
  void aClassCarriesItsMembersInLineOrderAndOtherSpansNone() {
    List<JobTable.ClaimedSpan> spans = claim(user, helper);

    assertThat(spans.get(0).members())
        .containsExactly(
            new SpanTable.Member("User.get_email", 11, 12),
            new SpanTable.Member("User.set_email", 14, 17));
    assertThat(spans.get(1).members()).isEmpty();
  }

  @Test
  void factsComeWithTheSpanThatHasThem() {
    SpanFacts facts =
        new SpanFacts(
            "def set_email(self, address):",
            List.of(new SpanFacts.Param("address", "str", null)),
            null,
            List.of(),
            List.of(),
            null,
            null,
            List.of(),
            List.of());
    seed.facts(setEmail, FactsJson.write(facts));

    List<JobTable.ClaimedSpan> spans = claim(setEmail, helper);

    assertThat(spans.get(0).facts()).isEqualTo(facts);
    assertThat(spans.get(1).facts()).isNull();
  }

  @Test
  void onlyARefusedPromptOfTheCurrentCodeIsKnownAndOnlyForThatVeryPrompt() {
    seed.failure(setEmail, f -> f.promptSha("abc123").error("summary refused: echo of the prompt"));
    seed.failure(helper, f -> f.error("timed out")); // says nothing about any prompt's answer
    seed.failure(getEmail, f -> f.promptSha("def456"));
    seed.editSpan(getEmail); // that refusal was for older code

    List<JobTable.ClaimedSpan> spans = claim(setEmail, helper, getEmail);

    SpanFailureTable.InvalidAnswer refused = spans.get(0).invalidAnswer();
    assertThat(refused).isNotNull();
    assertThat(refused.to("abc123")).contains("summary refused: echo of the prompt");
    assertThat(refused.to("another-prompt")).isEmpty();
    assertThat(spans.get(1).invalidAnswer()).isNull();
    assertThat(spans.get(2).invalidAnswer()).isNull();
  }

  private static String synchronousCommit(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs = st.executeQuery("show synchronous_commit")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aRunsLockStopsOnlyItsOwnTransactionsCommitFromWaitingForTheDisk() {
    UUID job = seed.job(j -> j.kind("single").status("enqueued").tokens(10).spans(helper)).jobId();

    List<String> seen =
        db.database()
            .withConnection(
                c -> {
                  // the test server itself does not wait for the disk; a production one does
                  try (var st = c.createStatement()) {
                    st.execute("set synchronous_commit = on");
                  }
                  c.setAutoCommit(false);
                  JobTable.lock(c, job);
                  String plainLock = synchronousCommit(c);
                  c.commit();
                  JobTable.lockForRun(c, job);
                  String runLock = synchronousCommit(c);
                  c.commit();
                  String next = synchronousCommit(c);
                  c.commit();
                  c.setAutoCommit(true);
                  try (var st = c.createStatement()) {
                    st.execute("reset synchronous_commit");
                  }
                  return List.of(plainLock, runLock, next);
                });

    assertThat(seen).containsExactly("on", "off", "on");
  }

  /** Custom and generic plans of this session's prepared statement reading a job's spans. */
  private static long[] claimPlans(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs =
            st.executeQuery(
                "select coalesce(sum(custom_plans), 0), coalesce(sum(generic_plans), 0)"
                    + " from pg_prepared_statements"
                    + " where statement like 'select s.id, s.repo_id, %from job_spans js%'")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /**
   * Ten claims on a new connection, the job locked by {@code lock} or {@code lockForRun}; then the
   * claim's custom and generic plans.
   */
  private long[] plansOfTenClaims(UUID job, boolean forRun) throws SQLException {
    try (Connection c = db.database().openDedicated("plans")) {
      c.setAutoCommit(false);
      for (int i = 0; i < 10; i++) {
        if (forRun) {
          JobTable.lockForRun(c, job);
        } else {
          JobTable.lock(c, job);
        }
        JobTable.claimSpans(c, job);
        c.commit();
      }
      c.setAutoCommit(true);
      return claimPlans(c);
    }
  }

  @Test
  void aRunsTransactionUsesThePlanItsConnectionKeepsInsteadOfPlanningAgain() throws Exception {
    UUID job =
        seed.job(j -> j.kind("batch").status("enqueued").tokens(100).spans(user, helper)).jobId();

    // pgjdbc prepares a statement on the server from its 5th execution on a connection.
    // PostgreSQL then plans it anew for each of its first five executions there, and for every
    // later one as long as it judges a custom plan cheaper (the bench's case: as many plans as
    // calls). pg_prepared_statements counts both kinds (PostgreSQL 14 and later).
    long[] plain = plansOfTenClaims(job, false);
    long[] run = plansOfTenClaims(job, true);

    assertThat(plain[0]).as("custom plans after a plain lock").isPositive();
    assertThat(run[0]).as("custom plans in a run's transaction").isZero();
    assertThat(run[1]).as("executions on the kept generic plan").isGreaterThanOrEqualTo(5);
  }
}
