package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.scheduler.plan.ContextSpans.ContextSpan;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextSpansTest {

  private static final int PROMPT = 1;

  private TestDatabase testDb;
  private Seed seed;
  private long repo;
  private long file;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    seed = Seed.into(testDb);
    repo = seed.repo("/src/shop").repoId();
    file = seed.file("src/user.py").fileId();
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

  private long method(
      String symbol, long parent, int start, int end, int tokens, String signature) {
    return seed.span(
            symbol, s -> s.parent(parent).lines(start, end).tokens(tokens).signature(signature))
        .spanId();
  }

  @Test
  void aSingleEditedMethodSeesItsFormerBatchMatesNearestFirstWithTheirSummaries() {
    long user =
        seed.span("User", s -> s.kind("class").lines(1, 40).tokens(300).signature("class User:"))
            .spanId();
    long getter = method("User.get_email", user, 2, 4, 20, "def get_email(self):");
    long setter = method("User.set_email", user, 6, 9, 30, "def set_email(self, email):");
    long validator = method("User.validate_email", user, 11, 20, 60, "def validate_email(self):");
    long far = method("User.far_away", user, 30, 40, 60, "def far_away(self):");
    long helper =
        seed.span("helper", s -> s.lines(42, 45).tokens(20).signature("def helper():")).spanId();
    for (long id : List.of(user, getter, validator, far, helper)) {
      seed.enrichment(id, e -> e.promptVersion(PROMPT).summary("summary of " + id));
    }
    seed.enrichment(setter, e -> e.promptVersion(PROMPT).summary("old summary"));
    seed.editSpan(setter); // only the setter is pending now, alone

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
    seed.file("src/other.py").span("nearby_elsewhere", s -> s.lines(1, 3).tokens(10));
    seed.inFile(file);
    seed.span("a", s -> s.lines(1, 3).tokens(10));
    seed.span("b", s -> s.lines(5, 7).tokens(10));
    long c = seed.span("c", s -> s.lines(9, 11).tokens(10)).spanId();
    seed.span("d", s -> s.lines(13, 15).tokens(10));
    long e = seed.span("e", s -> s.lines(17, 19).tokens(10)).spanId();
    seed.enrichment(c, en -> en.promptVersion(PROMPT).summary("done"));
    seed.enrichment(e, en -> en.promptVersion(PROMPT).summary("done"));

    // batch 0 is src/other.py; batch 1 is a, b, d of src/user.py, with c inside and e after it
    List<ContextSpan> context = contextOfPendingBatch(1, 1);

    assertThat(context).extracting(ContextSpan::symbol).containsExactly("c");
  }

  @Test
  void aNeighbourWithoutSignatureShowsItsFirstLineAndOneWithStaleSummaryShowsNone() {
    long a = seed.span("a", s -> s.lines(1, 3).tokens(10)).spanId();
    seed.span("b", s -> s.lines(30, 33).tokens(10));
    seed.enrichment(
        a, e -> e.promptVersion(PROMPT).summary("summary of old code").hash("hash-of-old-code"));
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
