package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.db.Database;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PendingSpansTest {

  /** The oldest prompt version whose notes count, as the span_state view says. */
  private static final int PROMPT = 1;

  private TestDatabase testDb;
  private SpanRows rows;
  private PendingSpans pendingSpans;
  private long repo;
  private long file;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    rows = new SpanRows(testDb.database());
    pendingSpans = new PendingSpans(testDb.database());
    repo = rows.repository("/src/shop");
    file = rows.file(repo, "src/config.py", "python");
  }

  @AfterEach
  void tearDown() {
    testDb.close();
  }

  private long function(long fileId, String symbol, int start, int end) {
    return rows.span(repo, fileId, "function", symbol, null, start, end, 100, null);
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
    rows.enrichment(parse, "gemma3:270m", PROMPT, 1, "Parses JSON.", null);
    assertThat(pendingSymbols()).containsExactly("load_config");
  }

  @Test
  void anEnrichmentOfAnyModelCountsAsCurrent() {
    long parse = function(file, "parse_json", 1, 10);
    rows.enrichment(parse, "qwen2.5-coder:7b", PROMPT, 1, "Parses JSON.", null);

    assertThat(pendingSymbols()).isEmpty();
  }

  @Test
  void anEnrichmentOfOldCodeAnOlderPromptOrAnOlderGenerationLeavesTheSpanPending() {
    long edited = function(file, "edited", 1, 10);
    long oldPrompt = function(file, "old_prompt", 12, 20);
    long current = function(file, "current", 22, 30);
    rows.enrichment(edited, "m", PROMPT, 1, "s", "hash-of-the-old-code");
    rows.enrichment(oldPrompt, "m", PROMPT - 1, 1, "s", null);
    rows.enrichment(current, "m", PROMPT, 1, "s", null);

    assertThat(pendingSymbols()).containsExactly("edited", "old_prompt");

    rows.bumpGeneration(repo); // enqueue --full
    assertThat(pendingSymbols()).containsExactly("edited", "old_prompt", "current");
  }

  @Test
  void aSpanInALiveJobIsNotPendingButOneInAFinishedJobIs() {
    long enqueued = function(file, "enqueued", 1, 10);
    long processing = function(file, "processing", 12, 20);
    long failed = function(file, "failed", 22, 30);
    long split = function(file, "split", 32, 40);
    rows.job(repo, "enqueued", enqueued);
    rows.job(repo, "processing", processing);
    rows.job(repo, "failed", failed);
    rows.job(repo, "split", split);

    assertThat(pendingSymbols()).containsExactly("failed", "split");
  }

  @Test
  void aSpanEditedWhileItsJobIsLiveIsPendingAgainWithItsNewCode() {
    long span = function(file, "racing", 1, 10);
    rows.job(repo, "processing", span);
    assertThat(pendingSymbols()).isEmpty();

    rows.edit(span);
    assertThat(pendingSymbols()).containsExactly("racing");
  }

  @Test
  void aFailureHoldsTheSpanBackUntilItsNextAttemptAndAPermanentOneUntilTheCodeChanges() {
    long waiting = function(file, "waiting", 1, 10);
    long due = function(file, "due", 12, 20);
    long hopeless = function(file, "hopeless", 22, 30);
    rows.failure(waiting, false, 600);
    rows.failure(due, false, -5);
    rows.failure(hopeless, true, -5);

    assertThat(pendingSymbols()).containsExactly("due");

    rows.edit(hopeless);
    rows.edit(waiting);
    assertThat(pendingSymbols()).containsExactly("waiting", "due", "hopeless");
  }

  @Test
  void
      clearingARepositorysFailuresMakesItsFailedSpansPendingAgainAndLeavesOtherRepositoriesAlone() {
    long hopeless = function(file, "hopeless", 1, 10);
    long waiting = function(file, "waiting", 12, 20);
    long otherRepo = rows.repository("/src/other");
    long otherFile = rows.file(otherRepo, "lib.py", "python");
    long elsewhere = rows.span(otherRepo, otherFile, "function", "elsewhere", null, 1, 5, 50, null);
    rows.failure(hopeless, true, -5);
    rows.failure(waiting, false, 600);
    rows.failure(elsewhere, true, -5);
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
    long other = rows.file(repo, "app/a.py", "python");
    long last = rows.file(repo, "web/z.js", "javascript");
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
    long done = rows.file(repo, "app/done.py", "python");
    long enriched = function(done, "finished", 1, 10);
    rows.enrichment(enriched, "m", PROMPT, 1, "s", null);
    function(file, "todo", 1, 10);

    assertThat(pendingSpans.pending(repo, 1)).extracting(PlanSpan::symbol).containsExactly("todo");
  }

  @Test
  void spansOfOtherRepositoriesAreNotPendingHere() {
    long otherRepo = rows.repository("/src/other");
    long otherFile = rows.file(otherRepo, "src/config.py", "python");
    rows.span(otherRepo, otherFile, "function", "elsewhere", null, 1, 5, 10, null);
    function(file, "here", 1, 5);

    assertThat(pendingSymbols()).containsExactly("here");
  }

  @Test
  void aClassWithMethodSpansIsPlannedAsAnOutlineAndAClassWithoutAsAWhole() {
    long user = rows.span(repo, file, "class", "User", null, 1, 40, 400, "class User:");
    rows.span(repo, file, "method", "User.get_email", user, 2, 11, 100, "def get_email(self):");
    long setter =
        rows.span(
            repo, file, "method", "User.set_email", user, 12, 31, 200, "def set_email(self, e):");
    rows.enrichment(setter, "m", PROMPT, 1, "Sets the email.", null);
    rows.span(repo, file, "class", "Point", null, 42, 45, 30, "class Point:");

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
    long user = rows.span(repo, file, "class", "User", null, 1, 12, 120, "class User:");
    rows.span(repo, file, "method", "User.get_email", user, 2, 3, 20, null);
    rows.span(repo, file, "method", "User.set_email", user, 5, 7, 35, null);
    rows.span(repo, file, "method", "User.validate_email", user, 9, 12, 45, null);

    List<PlannedBatch> plan =
        new BatchPlanner(PlanSettings.defaults())
            .plan(pendingSpans.pending(repo, PendingSpans.ALL_FILES));

    assertThat(plan).hasSize(2);
    assertThat(plan.get(0).spans()).extracting(PlanSpan::symbol).containsExactly("User");
    assertThat(plan.get(1).spans())
        .extracting(PlanSpan::symbol)
        .containsExactly("User.get_email", "User.set_email", "User.validate_email");
    assertThat(plan.get(1).spans().get(0).contentHash()).isEqualTo("hash-User.get_email-v1");
  }

  @Test
  void aLimitBelowOneFileIsRejected() {
    assertThatThrownBy(() -> pendingSpans.pending(repo, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
