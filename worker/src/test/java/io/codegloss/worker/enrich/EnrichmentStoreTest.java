package io.codegloss.worker.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.core.enrich.Evidence;
import io.codegloss.core.enrich.RelatedResolver;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable.FailureState;
import io.codegloss.testing.Rows;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import io.codegloss.worker.enrich.EnrichmentStore.StoreResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichmentStoreTest {

  private TestDatabase testDb;
  private Database db;
  private Seed seed;
  private EnrichmentStore store;
  private long repo;
  private long userFile;
  private long mailFile;
  private Span getEmail;
  private Span setEmail;
  private Span validateEmail;
  private Span userSave;
  private Span sendWelcome;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    seed = Seed.into(testDb);
    store =
        new EnrichmentStore(new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(300), 4));
    repo = seed.repo("/src/shop").repoId();
    userFile = seed.file("app/user.py").fileId();
    mailFile = seed.file("app/mail.py").fileId();
    seed.inFile(userFile);
    getEmail = span("User.get_email", 10, 11);
    setEmail = span("User.set_email", 13, 16);
    validateEmail = span("User.validate_email", 18, 19);
    userSave = span("User.save", 21, 24);
    seed.inFile(mailFile);
    sendWelcome = span("Mailer.send_welcome", 3, 9);
    span("Mailer.save", 11, 14);
  }

  private Span span(String symbol, int start, int end) {
    return seed.span(symbol, start, end).spanRow().toSpan();
  }

  @AfterEach
  void tearDown() {
    testDb.close();
  }

  private static Enrichment enrichment(String summary, String... related) {
    return new Enrichment(
        summary,
        List.of("email: str"),
        List.of(),
        List.of("sets self._email"),
        List.of(),
        "user.set_email(x)",
        List.of(new Evidence("summary_120w", 13, 16)),
        List.of(related));
  }

  private static StoreMeta meta(String model) {
    return StoreMeta.of(model, "embedded", 1, JobKind.BATCH, "worker-a", UUID.randomUUID());
  }

  private StoreResult store(Span span, Enrichment e, StoreMeta meta) {
    return db.inTransaction(
        c -> {
          return store.store(c, span, e, meta);
        });
  }

  private long count(String sql, Object... params) {
    return Rows.count(db, sql, params);
  }

  private List<Long> linksFrom(long spanId, String model) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select to_span_id from span_links where from_span_id = ? and model = ?"
                      + " order by to_span_id")) {
            ps.setLong(1, spanId);
            ps.setString(2, model);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
            return out;
          }
        });
  }

  private Map<String, Object> row(long spanId, String model) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select summary, payload::text, span_hash, mode, backend, worker, job_id,"
                      + " dropped_related, notes, prompt_version, schema_version, generation"
                      + " from enrichments where span_id = ? and model = ?")) {
            ps.setLong(1, spanId);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              java.util.HashMap<String, Object> m = new java.util.HashMap<>();
              for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
              }
              return m;
            }
          }
        });
  }

  @Test
  void storesTheEnrichmentWithItsPayloadMetaAndLinks() throws Exception {
    StoreMeta meta = meta("gemma-3-1b");
    Enrichment e = enrichment("Sets the email after validation.", "User.validate_email");
    assertThat(store(setEmail, e, meta)).isEqualTo(StoreResult.STORED);

    Map<String, Object> row = row(setEmail.id(), "gemma-3-1b");
    assertThat(row.get("summary")).isEqualTo("Sets the email after validation.");
    assertThat(EnrichmentJson.fromJson((String) row.get("payload"))).isEqualTo(e);
    assertThat(row.get("span_hash")).isEqualTo(setEmail.contentHash());
    assertThat(row.get("mode")).isEqualTo("batch");
    assertThat(row.get("backend")).isEqualTo("embedded");
    assertThat(row.get("worker")).isEqualTo("worker-a");
    assertThat(row.get("job_id")).isEqualTo(meta.jobId());
    assertThat(row.get("prompt_version")).isEqualTo(2);
    assertThat(row.get("schema_version")).isEqualTo(2);
    assertThat(row.get("generation")).isEqualTo(1);
    assertThat(row.get("notes")).isNull();
    assertThat(linksFrom(setEmail.id(), "gemma-3-1b")).containsExactly(validateEmail.id());
  }

  @Test
  void storesTheNotesAndDroppedCountOfAValidatedOutcome() {
    SpanOutcome.Valid valid =
        new SpanOutcome.Valid(
            setEmail,
            enrichment("Sets the email after validation."),
            2,
            false,
            List.of("dropped 2 related name(s) not in the index: a, b"));
    StoreMeta meta =
        meta("gemma-3-1b").withNotes(List.of("code cut to lines 13-14 of 13-16 to fit 40 tokens"));
    db.inTransaction(
        c -> {
          return store.store(c, valid, meta);
        });
    Map<String, Object> row = row(setEmail.id(), "gemma-3-1b");
    assertThat(row.get("dropped_related")).isEqualTo(2);
    assertThat(row.get("notes"))
        .isEqualTo(
            "code cut to lines 13-14 of 13-16 to fit 40 tokens; dropped 2 related name(s) not in"
                + " the index: a, b");
  }

  @Test
  void aRetriedJobReplacesItsRowAndLinksInsteadOfAddingMore() {
    store(
        setEmail, enrichment("First attempt.", "validate_email", "get_email"), meta("gemma-3-1b"));
    store(setEmail, enrichment("Second attempt.", "get_email"), meta("gemma-3-1b"));
    assertThat(count("select count(*) from enrichments where span_id = ?", setEmail.id()))
        .isEqualTo(1);
    assertThat(row(setEmail.id(), "gemma-3-1b").get("summary")).isEqualTo("Second attempt.");
    assertThat(linksFrom(setEmail.id(), "gemma-3-1b")).containsExactly(getEmail.id());
  }

  @Test
  void aLateAnswerPlannedForAnOlderGenerationNeverReplacesTheNewerNoteOrItsLinks() {
    StoreMeta newer =
        StoreMeta.of("gemma-3-1b", "embedded", 2, JobKind.SINGLE, "worker-b", UUID.randomUUID());
    StoreMeta older =
        StoreMeta.of("gemma-3-1b", "embedded", 1, JobKind.SINGLE, "worker-a", UUID.randomUUID());
    store(setEmail, enrichment("Newer note.", "get_email"), newer);

    assertThat(store(setEmail, enrichment("Late, older note.", "validate_email"), older))
        .isEqualTo(StoreResult.SUPERSEDED);

    assertThat(count("select count(*) from enrichments where span_id = ?", setEmail.id()))
        .isEqualTo(1);
    assertThat(row(setEmail.id(), "gemma-3-1b").get("summary")).isEqualTo("Newer note.");
    assertThat(linksFrom(setEmail.id(), "gemma-3-1b")).containsExactly(getEmail.id());
  }

  @Test
  void differentModelsKeepTheirOwnRowsAndLinks() {
    store(setEmail, enrichment("Small model.", "validate_email"), meta("gemma-3-270m"));
    store(setEmail, enrichment("Big model.", "get_email"), meta("qwen2.5-7b"));
    assertThat(count("select count(*) from enrichments where span_id = ?", setEmail.id()))
        .isEqualTo(2);
    assertThat(linksFrom(setEmail.id(), "gemma-3-270m")).containsExactly(validateEmail.id());
    assertThat(linksFrom(setEmail.id(), "qwen2.5-7b")).containsExactly(getEmail.id());
  }

  @Test
  void storingClearsTheSpansFailure() {
    record(setEmail.id(), setEmail.contentHash(), "x", false);
    assertThat(count("select count(*) from span_failures where span_id = ?", setEmail.id()))
        .isEqualTo(1);
    store(setEmail, enrichment("Sets the email."), meta("m"));
    assertThat(count("select count(*) from span_failures where span_id = ?", setEmail.id()))
        .isZero();
  }

  @Test
  void doesNotStoreANoteForCodeThatChangedSinceThePlan() {
    seed.editSpan(setEmail.id());
    assertThat(store(setEmail, enrichment("Old code."), meta("m"))).isEqualTo(StoreResult.STALE);
    assertThat(count("select count(*) from enrichments")).isZero();
  }

  @Test
  void doesNotStoreANoteForASpanThatIsGone() {
    seed.deleteSpan(setEmail.id());
    assertThat(store(setEmail, enrichment("Gone."), meta("m"))).isEqualTo(StoreResult.SPAN_GONE);
    assertThat(record(setEmail.id(), "h", "x", false)).isEmpty();
  }

  @Test
  void neverLinksASpanToItselfOrToANameThatNoLongerResolves() {
    store(setEmail, enrichment("Sets.", "set_email", "deleted_helper", "save"), meta("m"));
    // "save" exists in both files: the span's own file wins.
    assertThat(linksFrom(setEmail.id(), "m")).containsExactly(userSave.id());
    assertThat(row(setEmail.id(), "m").get("dropped_related")).isEqualTo(1);
  }

  @Test
  void concurrentStoresOfOneSpanLeaveOneRow() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<StoreResult>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String summary = "Attempt " + i + ".";
        tasks.add(() -> store(setEmail, enrichment(summary, "get_email"), meta("m")));
      }
      for (Future<StoreResult> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isEqualTo(StoreResult.STORED);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("select count(*) from enrichments")).isEqualTo(1);
    assertThat(count("select count(*) from span_links")).isEqualTo(1);
  }

  // ---------------------------------------------------------------- resolver

  @Test
  void resolverPrefersTheSameFileThenAnUnambiguousMatchElsewhere() {
    db.withConnection(
        c -> {
          RelatedResolver fromUser = RelatedResolver.forRepo(c, repo, userFile);
          assertThat(fromUser.resolve("save")).hasValue(userSave.id());
          assertThat(fromUser.resolve("send_welcome")).hasValue(sendWelcome.id());
          assertThat(fromUser.resolve("Mailer.save")).isPresent();
          assertThat(fromUser.resolve("Mailer.send_welcome")).hasValue(sendWelcome.id());
          assertThat(fromUser.resolve("nowhere")).isEmpty();
          long otherFile = seed.inRepo(repo).file("app/other.py").fileId();
          RelatedResolver fromOther = RelatedResolver.forRepo(c, repo, otherFile);
          assertThat(fromOther.resolve("save")).as("two files have save").isEmpty();
          assertThat(fromOther.resolve("User.save")).hasValue(userSave.id());
          long otherRepo = seed.repo("/src/other").repoId();
          assertThat(RelatedResolver.forRepo(c, otherRepo, otherFile).resolve("set_email"))
              .isEmpty();
          return null;
        });
  }

  // ---------------------------------------------------------------- failures

  private Optional<FailureState> record(long spanId, String hash, String error, boolean permanent) {
    Database.TxWork<Optional<FailureState>> work =
        c -> store.failures().record(c, spanId, hash, error, permanent, null);
    return db.inTransaction(work);
  }

  private FailureState fail(Span span, String hash, boolean permanent) {
    Optional<FailureState> s =
        db.inTransaction(
            c -> {
              return store
                  .failures()
                  .record(c, span.id(), hash, "model answered garbage", permanent, null);
            });
    assertThat(s).isPresent();
    return s.get();
  }

  @Test
  void backsOffExponentiallyUpToTheCapAndTurnsPermanentAfterTheMaximumAttempts() {
    long[] expected = {30, 60, 120, 240};
    for (int attempt = 1; attempt <= 4; attempt++) {
      Instant before = Instant.now();
      FailureState s = fail(setEmail, setEmail.contentHash(), false);
      assertThat(s.attempts()).isEqualTo(attempt);
      assertThat(s.nextAttemptAt())
          .isCloseTo(before.plusSeconds(expected[attempt - 1]), within(5, ChronoUnit.SECONDS));
      assertThat(s.permanent()).as("attempt %d", attempt).isEqualTo(attempt >= 4);
    }
    Instant before = Instant.now();
    FailureState fifth = fail(setEmail, setEmail.contentHash(), false);
    assertThat(fifth.nextAttemptAt())
        .as("capped at 300 s")
        .isCloseTo(before.plusSeconds(300), within(5, ChronoUnit.SECONDS));
    assertThat(fifth.permanent()).isTrue();
  }

  @Test
  void aChangeOfCodeStartsTheAttemptsAndBackoffAfresh() {
    fail(setEmail, setEmail.contentHash(), false);
    fail(setEmail, setEmail.contentHash(), true);
    Instant before = Instant.now();
    FailureState s = fail(setEmail, "edited-hash", false);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.permanent()).isFalse();
    assertThat(s.nextAttemptAt()).isCloseTo(before.plusSeconds(30), within(5, ChronoUnit.SECONDS));
  }

  @Test
  void aPermanentFailureStaysPermanentForTheSameCode() {
    assertThat(fail(setEmail, setEmail.contentHash(), true).permanent()).isTrue();
    assertThat(fail(setEmail, setEmail.contentHash(), false).permanent()).isTrue();
  }

  @Test
  void keepsTheLastErrorShortAndOneBadSpanDoesNotTouchTheOthers() {
    record(setEmail.id(), setEmail.contentHash(), "x".repeat(5000), false);
    assertThat(
            count("select length(last_error) from span_failures where span_id = ?", setEmail.id()))
        .isEqualTo(2003);
    assertThat(count("select count(*) from span_failures")).isEqualTo(1);
  }

  @Test
  void retryPolicyReadsItsSettings() {
    var settings =
        io.codegloss.core.config.Settings.of(
            Map.of("CODEGLOSS_RETRY_BASE_SECONDS", "10", "CODEGLOSS_RETRY_MAX_ATTEMPTS", "3"));
    RetryPolicy p = RetryPolicy.fromSettings(settings);
    assertThat(p.base()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.maxAttempts()).isEqualTo(3);
    assertThat(p.max()).as("the default cap").isEqualTo(Duration.ofHours(6));
    assertThat(RetryPolicy.fromSettings(io.codegloss.core.config.Settings.of(Map.of())))
        .isEqualTo(RetryPolicy.defaults());
  }
}
