package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PendingSpansTest {

  /** The oldest prompt version whose notes count, as the span_state view says. */
  private static final int PROMPT = EnrichmentSchema.PROMPT_VERSION;

  private TestDatabase testDb;
  private Seed seed;
  private PendingSpans pendingSpans;
  private long repo;
  private long file;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    seed = Seed.into(testDb);
    pendingSpans = new PendingSpans(testDb.database());
    repo = seed.repo("/src/shop").repoId();
    file = seed.file("src/config.py").fileId();
  }

  @AfterEach
  void tearDown() {
    testDb.close();
  }

  private long function(long fileId, String symbol, int start, int end) {
    return seed.inFile(fileId).span(symbol, start, end).spanId();
  }

  /** A current enrichment: of the span's code, this generation and this prompt. */
  private void enrich(long spanId) {
    seed.enrichment(spanId, e -> e.promptVersion(PROMPT));
  }

  private List<String> pendingSymbols() {
    return pendingSpans.pending(repo, PendingSpans.ALL_FILES).stream()
        .map(PlanSpan::symbol)
        .toList();
  }

  @Test
  void aSpanIsPendingUntilItHasACurrentEnrichment() {
    long parse = function(file, "parse_json", 1, 10);
    function(file, "load_config", 12, 20);

    assertThat(pendingSymbols()).containsExactly("parse_json", "load_config");
    enrich(parse);
    assertThat(pendingSymbols()).containsExactly("load_config");
  }

  @Test
  void anEnrichmentOfAnyModelCountsAsCurrent() {
    long parse = function(file, "parse_json", 1, 10);
    seed.enrichment(parse, e -> e.model("qwen2.5-coder:7b").promptVersion(PROMPT));

    assertThat(pendingSymbols()).isEmpty();
  }

  @Test
  void anEnrichmentOfOldCodeAnOlderPromptOrAnOlderGenerationLeavesTheSpanPending() {
    long edited = function(file, "edited", 1, 10);
    long oldPrompt = function(file, "old_prompt", 12, 20);
    long current = function(file, "current", 22, 30);
    seed.enrichment(edited, e -> e.promptVersion(PROMPT).hash("hash-of-the-old-code"));
    seed.enrichment(oldPrompt, e -> e.promptVersion(PROMPT - 1));
    enrich(current);

    assertThat(pendingSymbols()).containsExactly("edited", "old_prompt");

    seed.inRepo(repo).newGeneration(); // enqueue --full
    assertThat(pendingSymbols()).containsExactly("edited", "old_prompt", "current");
  }

  @Test
  void aSpanInALiveJobIsNotPendingButOneInAFinishedJobIs() {
    long enqueued = function(file, "enqueued", 1, 10);
    long processing = function(file, "processing", 12, 20);
    long failed = function(file, "failed", 22, 30);
    long split = function(file, "split", 32, 40);
    seed.job(j -> j.status("enqueued").spans(enqueued));
    seed.job(j -> j.status("processing").spans(processing));
    seed.job(j -> j.status("failed").spans(failed));
    seed.job(j -> j.status("split").spans(split));

    assertThat(pendingSymbols()).containsExactly("failed", "split");
  }

  @Test
  void aSpanEditedWhileItsJobIsLiveIsPendingAgainWithItsNewCode() {
    long span = function(file, "racing", 1, 10);
    seed.job(j -> j.status("processing").spans(span));
    assertThat(pendingSymbols()).isEmpty();

    seed.editSpan(span);
    assertThat(pendingSymbols()).containsExactly("racing");
  }

  @Test
  void aFailureHoldsTheSpanBackUntilItsNextAttemptAndAPermanentOneUntilTheCodeChanges() {
    long waiting = function(file, "waiting", 1, 10);
    long due = function(file, "due", 12, 20);
    long hopeless = function(file, "hopeless", 22, 30);
    seed.failure(waiting, f -> f.dueInSeconds(600));
    seed.failure(due, f -> f.dueInSeconds(-5));
    seed.failure(hopeless, f -> f.dueInSeconds(-5).permanent());

    assertThat(pendingSymbols()).containsExactly("due");

    seed.editSpan(hopeless);
    seed.editSpan(waiting);
    assertThat(pendingSymbols()).containsExactly("waiting", "due", "hopeless");
  }

  @Test
  void
      clearingARepositorysFailuresMakesItsFailedSpansPendingAgainAndLeavesOtherRepositoriesAlone() {
    long hopeless = function(file, "hopeless", 1, 10);
    long waiting = function(file, "waiting", 12, 20);
    long otherRepo = seed.repo("/src/other").repoId();
    long elsewhere = seed.file("lib.py").span("elsewhere", 1, 5).spanId();
    seed.failure(hopeless, f -> f.dueInSeconds(-5).permanent());
    seed.failure(waiting, f -> f.dueInSeconds(600));
    seed.failure(elsewhere, f -> f.dueInSeconds(-5).permanent());
    assertThat(pendingSymbols()).isEmpty();

    int offered =
        testDb
            .database()
            .inTransaction(
                (Database.TxWork<Integer>) c -> SpanFailureTable.offerRepositoryAgain(c, repo));

    assertThat(offered).isEqualTo(2);
    assertThat(pendingSymbols()).containsExactly("hopeless", "waiting");
    assertThat(pendingSpans.pending(otherRepo, PendingSpans.ALL_FILES)).isEmpty();
  }

  @Test
  void filesAreTakenWholeInPathOrderUpToTheLimit() {
    long other = seed.file("app/a.py").fileId();
    long last = seed.file("web/z.js").fileId();
    function(file, "c1", 1, 10);
    function(file, "c2", 12, 20);
    function(file, "c3", 22, 30);
    function(other, "a1", 1, 10);
    function(last, "z1", 1, 10);

    List<PlanSpan> two = pendingSpans.pending(repo, 2);

    assertThat(two).extracting(PlanSpan::symbol).containsExactly("a1", "c1", "c2", "c3");
    assertThat(pendingSpans.pending(repo, 1)).extracting(PlanSpan::path).containsOnly("app/a.py");
  }

  @Test
  void aFileWhoseSpansAreAllEnrichedDoesNotUseUpTheLimit() {
    long done = seed.file("app/done.py").fileId();
    enrich(function(done, "finished", 1, 10));
    function(file, "todo", 1, 10);

    assertThat(pendingSpans.pending(repo, 1)).extracting(PlanSpan::symbol).containsExactly("todo");
  }

  @Test
  void spansOfOtherRepositoriesAreNotPendingHere() {
    seed.repo("/src/other").file("src/config.py").span("elsewhere", 1, 5);
    function(file, "here", 1, 5);

    assertThat(pendingSymbols()).containsExactly("here");
  }

  @Test
  void aClassWithMethodSpansIsPlannedAsAnOutlineAndAClassWithoutAsAWhole() {
    long user =
        seed.span("User", s -> s.kind("class").lines(1, 40).tokens(400).signature("class User:"))
            .spanId();
    seed.span("User.get_email", s -> s.parent(user).lines(2, 11).tokens(100));
    long setter =
        seed.span("User.set_email", s -> s.parent(user).lines(12, 31).tokens(200)).spanId();
    enrich(setter);
    seed.span("Point", s -> s.kind("class").lines(42, 45).tokens(30).signature("class Point:"));

    List<PlanSpan> pending = pendingSpans.pending(repo, PendingSpans.ALL_FILES);

    PlanSpan userSpan = pending.get(0);
    assertThat(userSpan.symbol()).isEqualTo("User");
    assertThat(userSpan.content()).isEqualTo(SpanContent.OUTLINE);
    // 400 - (100 + 200) + (100/10 + 200/20): the enriched setter is left out all the same
    assertThat(userSpan.tokens()).isEqualTo(120);
    PlanSpan point = pending.get(pending.size() - 1);
    assertThat(point.content()).isEqualTo(SpanContent.WHOLE);
    assertThat(point.tokens()).isEqualTo(30);
    assertThat(pending)
        .extracting(PlanSpan::symbol)
        .containsExactly("User", "User.get_email", "Point");
    assertThat(pending.get(1).parentId()).isEqualTo(user);
    assertThat(pending.get(1).kind()).isEqualTo(SpanKind.METHOD);
  }

  @Test
  void theSeedsClassExampleGoesFromTheDatabaseToTwoJobs() {
    long user =
        seed.span("User", s -> s.kind("class").lines(1, 12).tokens(120).signature("class User:"))
            .spanId();
    String getEmailHash =
        seed.span("User.get_email", s -> s.parent(user).lines(2, 3).tokens(20)).spanRow().hash();
    seed.span("User.set_email", s -> s.parent(user).lines(5, 7).tokens(35));
    seed.span("User.validate_email", s -> s.parent(user).lines(9, 12).tokens(45));

    List<PlannedBatch> plan =
        new BatchPlanner(PlanSettings.defaults())
            .plan(pendingSpans.pending(repo, PendingSpans.ALL_FILES));

    assertThat(plan).hasSize(2);
    assertThat(plan.get(0).spans()).extracting(PlanSpan::symbol).containsExactly("User");
    assertThat(plan.get(1).spans())
        .extracting(PlanSpan::symbol)
        .containsExactly("User.get_email", "User.set_email", "User.validate_email");
    assertThat(plan.get(1).spans().get(0).contentHash()).isEqualTo(getEmailHash);
  }

  @Test
  void aLimitBelowOneFileIsRejected() {
    assertThatThrownBy(() -> pendingSpans.pending(repo, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
