package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.scheduler.plan.ContextSpans.ContextSpan;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextSpansTest {

  private static final int PROMPT = 1;

  private TestDatabase testDb;
  private SpanRows rows;
  private long repo;
  private long file;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    rows = new SpanRows(testDb.database());
    repo = rows.repository("/src/shop");
    file = rows.file(repo, "src/user.py", "python");
  }

  @AfterEach
  void tearDown() {
    testDb.close();
  }

  private List<ContextSpan> contextOfPendingBatch(int index, int limit) {
    List<PlannedBatch> plan =
        new BatchPlanner(new PlanSettings(true, 2000, 100, 1, 200))
            .plan(
                new PendingSpans(testDb.database()).pending(repo, PROMPT, PendingSpans.ALL_FILES));
    PlannedBatch batch = plan.get(index);
    return testDb.database().withConnection(c -> ContextSpans.forBatch(c, batch, limit));
  }

  @Test
  void aSingleEditedMethodSeesItsFormerBatchMatesNearestFirstWithTheirSummaries() {
    long user = rows.span(repo, file, "class", "User", null, 1, 40, 300, "class User:");
    long getter =
        rows.span(repo, file, "method", "User.get_email", user, 2, 4, 20, "def get_email(self):");
    long setter =
        rows.span(
            repo, file, "method", "User.set_email", user, 6, 9, 30, "def set_email(self, email):");
    long validator =
        rows.span(
            repo,
            file,
            "method",
            "User.validate_email",
            user,
            11,
            20,
            60,
            "def validate_email(self):");
    long far =
        rows.span(repo, file, "method", "User.far_away", user, 30, 40, 60, "def far_away(self):");
    long helper = rows.span(repo, file, "function", "helper", null, 42, 45, 20, "def helper():");
    for (long id : List.of(user, getter, validator, far, helper)) {
      rows.enrichment(id, "gemma3:270m", PROMPT, 1, "summary of " + id, null);
    }
    rows.enrichment(setter, "gemma3:270m", PROMPT, 1, "old summary", null);
    rows.edit(setter); // only the setter is pending now, alone

    List<ContextSpan> context = contextOfPendingBatch(0, 4);

    assertThat(context)
        .extracting(ContextSpan::symbol)
        .containsExactly("User.get_email", "User.validate_email", "User.far_away", "User");
    assertThat(context.get(0).signature()).isEqualTo("def get_email(self):");
    assertThat(context.get(0).summary()).isEqualTo("summary of " + getter);
    assertThat(context).extracting(ContextSpan::spanId).doesNotContain(setter);
  }

  @Test
  void theLimitCapsTheNeighboursAndOtherFilesNeverAppear() {
    long otherFile = rows.file(repo, "src/other.py", "python");
    rows.span(repo, otherFile, "function", "nearby_elsewhere", null, 1, 3, 10, null);
    rows.span(repo, file, "function", "a", null, 1, 3, 10, null);
    rows.span(repo, file, "function", "b", null, 5, 7, 10, null);
    long c = rows.span(repo, file, "function", "c", null, 9, 11, 10, null);
    rows.span(repo, file, "function", "d", null, 13, 15, 10, null);
    long e = rows.span(repo, file, "function", "e", null, 17, 19, 10, null);
    rows.enrichment(c, "m", PROMPT, 1, "done", null);
    rows.enrichment(e, "m", PROMPT, 1, "done", null);

    // batch 0 is src/other.py; batch 1 is a, b, d of src/user.py, with c inside and e after it
    List<ContextSpan> context = contextOfPendingBatch(1, 1);

    assertThat(context).extracting(ContextSpan::symbol).containsExactly("c");
  }

  @Test
  void aNeighbourWithoutSignatureShowsItsFirstLineAndOneWithStaleSummaryShowsNone() {
    long a = rows.span(repo, file, "function", "a", null, 1, 3, 10, null);
    rows.span(repo, file, "function", "b", null, 30, 33, 10, null);
    rows.enrichment(a, "m", PROMPT, 1, "summary of old code", "hash-of-old-code");
    List<PlannedBatch> plan =
        new BatchPlanner(new PlanSettings(false, 2000, 100, 1, 200))
            .plan(
                new PendingSpans(testDb.database()).pending(repo, PROMPT, PendingSpans.ALL_FILES));
    PlannedBatch onlyB =
        plan.stream().filter(p -> p.spans().get(0).symbol().equals("b")).findFirst().orElseThrow();
    List<ContextSpan> context =
        testDb.database().withConnection(conn -> ContextSpans.forBatch(conn, onlyB));

    assertThat(context).hasSize(1);
    assertThat(context.get(0).signature()).isEqualTo("def a():");
    assertThat(context.get(0).summary()).isNull();
  }
}
