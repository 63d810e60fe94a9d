package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.queue.JobSizing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's cases and each rule at its boundary, with the default settings unless said. */
class BatchPlannerTest {

  private final BatchPlanner planner = new BatchPlanner(PlanSettings.defaults());
  private final TestSpans py = new TestSpans(1, "src/app/config.py", "python");

  private static List<List<String>> symbols(List<PlannedBatch> batches) {
    return batches.stream().map(b -> b.spans().stream().map(PlanSpan::symbol).toList()).toList();
  }

  private static List<CloseReason> reasons(List<PlannedBatch> batches) {
    return batches.stream().map(PlannedBatch::reason).toList();
  }

  @Test
  void threeSmallHelpersOfOneFileBecomeOneBatch() {
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("parse_json", 1, 50, 300),
                py.function("validate_json", 52, 101, 300),
                py.function("load_config", 103, 152, 300)));

    assertThat(symbols(plan))
        .containsExactly(List.of("parse_json", "validate_json", "load_config"));
    assertThat(plan.get(0).reason()).isEqualTo(CloseReason.END_OF_FILE);
    assertThat(plan.get(0).spanTokens()).isEqualTo(900);
    assertThat(plan.get(0).jobTokens()).isEqualTo(JobSizing.jobTokens(900, 3));
  }

  @Test
  void gettersSettersAndValidatorOfAClassAreBatchedAndTheClassGoesByItself() {
    PlanSpan user = py.classSpan("User", 1, 12, 60, SpanContent.OUTLINE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                user,
                py.method(user, "get_email", 2, 3, 20),
                py.method(user, "set_email", 5, 7, 35),
                py.method(user, "validate_email", 9, 12, 45)));

    assertThat(symbols(plan))
        .containsExactly(
            List.of("User"), List.of("User.get_email", "User.set_email", "User.validate_email"));
    assertThat(reasons(plan)).containsExactly(CloseReason.BELOW_MIN_SIZE, CloseReason.END_OF_FILE);
  }

  @Test
  void aFiveHundredLineFunctionIsEnrichedAloneEvenWhenItsTokenEstimateIsSmall() {
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("small_a", 1, 10, 80),
                py.function("huge_func", 12, 511, 900),
                py.function("small_b", 513, 522, 80),
                py.function("small_c", 524, 533, 80)));

    assertThat(symbols(plan))
        .containsExactly(List.of("small_a"), List.of("huge_func"), List.of("small_b", "small_c"));
    assertThat(reasons(plan))
        .containsExactly(
            CloseReason.BELOW_MIN_SIZE, CloseReason.LARGE_SPAN, CloseReason.END_OF_FILE);
  }

  @Test
  void aSpanOverHalfTheTokenBudgetGoesAlone() {
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("a", 1, 10, 100),
                py.function("b", 11, 20, 100),
                py.function("dense", 21, 80, 1001),
                py.function("just_half", 81, 140, 1000),
                py.function("c", 141, 150, 100)));

    assertThat(symbols(plan))
        .containsExactly(List.of("a", "b"), List.of("dense"), List.of("just_half", "c"));
    assertThat(reasons(plan))
        .containsExactly(CloseReason.LARGE_SPAN, CloseReason.LARGE_SPAN, CloseReason.END_OF_FILE);
  }

  @Test
  void aFunctionNextToAClassIsNotBatchedWithItOrItsMethod() {
    PlanSpan myClass = py.classSpan("MyClass", 3, 5, 30, SpanContent.OUTLINE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("standalone_func", 1, 2, 30),
                myClass,
                py.method(myClass, "method", 4, 5, 20)));

    assertThat(symbols(plan))
        .containsExactly(List.of("standalone_func"), List.of("MyClass"), List.of("MyClass.method"));
    assertThat(reasons(plan)).containsOnly(CloseReason.BELOW_MIN_SIZE);
  }

  @Test
  void spansOfTwoFilesAreNeverMixedEvenWhenTheyWouldFitTogether() {
    TestSpans js = new TestSpans(2, "web/helper.js", "javascript");
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                js.function("helper", 1, 3, 20),
                py.function("helper", 1, 3, 20),
                js.function("other", 5, 7, 20)));

    assertThat(plan)
        .extracting(PlannedBatch::path)
        .containsExactly("src/app/config.py", "web/helper.js");
    assertThat(plan.get(0).isSingle()).isTrue();
    assertThat(plan.get(0).reason()).isEqualTo(CloseReason.BELOW_MIN_SIZE);
    assertThat(plan.get(1).spans()).extracting(PlanSpan::language).containsOnly("javascript");
    assertThat(plan.get(1).spans()).hasSize(2);
  }

  @Test
  void tenHelpersOfAboutThreeHundredFiftyTokensMakeTwoBatchesOfFive() {
    List<PlanSpan> helpers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      helpers.add(py.function("helper_" + i, 1 + i * 40, 35 + i * 40, 350));
    }
    List<PlannedBatch> plan = planner.plan(helpers);

    assertThat(plan).extracting(b -> b.spans().size()).containsExactly(5, 5);
    assertThat(reasons(plan)).containsExactly(CloseReason.TOKEN_BUDGET, CloseReason.END_OF_FILE);
  }

  @Test
  void aBatchOfManyTinySpansClosesBeforeItsJobOutgrowsADefaultWorker() {
    // 30 one-liners of 5 tokens: far under RAG_BATCH_MAX_TOKENS, but each brings its own output
    // cap, so one batch of 30 would be a job of about 12,000 tokens that no default worker takes.
    List<PlanSpan> tiny = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tiny.add(py.function("tiny_" + i, 1 + i * 3, 2 + i * 3, 5));
    }
    List<PlannedBatch> plan = planner.plan(tiny);

    assertThat(plan)
        .allSatisfy(
            b -> assertThat(b.jobTokens()).isLessThanOrEqualTo(JobSizing.DEFAULT_CONTEXT_TOKENS));
    assertThat(plan).extracting(b -> b.spans().size()).containsExactly(19, 11);
    assertThat(reasons(plan)).containsExactly(CloseReason.TOKEN_BUDGET, CloseReason.END_OF_FILE);
  }

  @Test
  void aSingleSpanLargerThanADefaultWorkerIsEnqueuedAtADefaultWorkersSizeAndRunsCut() {
    // 8,000 tokens of code: the whole job (8,992) fits no default worker, so a default worker
    // takes it at 8,192 and sends its code cut to 7,200 tokens instead of it waiting forever.
    List<PlannedBatch> plan =
        planner.plan(
            List.of(py.function("huge_test_class", 1, 900, 8_000), py.function("f", 901, 910, 50)));

    PlannedBatch huge = plan.get(0);
    assertThat(huge.isSingle()).isTrue();
    assertThat(huge.wholeJobTokens()).isEqualTo(JobSizing.jobTokens(8_000, 1)).isEqualTo(8_992);
    assertThat(huge.jobTokens()).isEqualTo(JobSizing.DEFAULT_CONTEXT_TOKENS);
    assertThat(huge.runsCut()).isTrue();
    assertThat(JobSizing.codeBudget(huge.jobTokens(), 1)).isEqualTo(7_200);
    PlannedBatch small = plan.get(1);
    assertThat(small.runsCut()).isFalse();
    assertThat(small.jobTokens()).isEqualTo(small.wholeJobTokens());
  }

  @Test
  void anOperatorWhoRaisesTheBatchBudgetAboveADefaultWorkerRaisesTheSingleSpanSizeWithIt() {
    BatchPlanner large = new BatchPlanner(new PlanSettings(true, 12_000, 100, 2, 200));
    PlannedBatch fits = large.plan(List.of(py.function("big", 1, 900, 8_000))).get(0);
    PlannedBatch cut = large.plan(List.of(py.function("bigger", 1, 900, 20_000))).get(0);

    assertThat(fits.runsCut()).isFalse();
    assertThat(fits.jobTokens()).isEqualTo(8_992);
    assertThat(cut.runsCut()).isTrue();
    assertThat(cut.jobTokens()).isEqualTo(12_000);
  }

  @Test
  void oversizeJobsNameWhatNoWorkerFetchesAndTheCutListNamesWhatRunsCut() {
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("huge", 1, 1000, 9_000),
                py.function("medium", 1001, 1400, 5_000),
                py.function("small", 1401, 1410, 50)));

    // a default worker: nothing waits, the huge span runs cut
    assertThat(OversizeJobs.of(plan, 8_192)).isEmpty();
    assertThat(OversizeJobs.cut(plan, 8_192))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.symbols()).containsExactly("huge");
              assertThat(o.runsCut()).isTrue();
              assertThat(o.minMaxTokens()).isEqualTo(8_192);
              assertThat(o.wholeMaxTokens()).isEqualTo(JobSizing.jobTokens(9_000, 1));
              assertThat(o.cutToTokens()).isEqualTo(7_200);
              assertThat(o.cutToLines()).isEqualTo(800);
            });
    // only a 4,096-token worker: the huge and the medium span wait; the medium one runs whole
    assertThat(OversizeJobs.cut(plan, 4_096)).isEmpty();
    assertThat(OversizeJobs.of(plan, 4_096))
        .extracting(o -> o.symbols().get(0), o -> o.minMaxTokens(), o -> o.cutToTokens())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("huge", 8_192, 7_200),
            org.assertj.core.groups.Tuple.tuple("medium", JobSizing.jobTokens(5_000, 1), null));
  }

  @Test
  void theTokenBudgetIsAStrictUpperBound() {
    List<PlannedBatch> fits =
        planner.plan(List.of(py.function("a", 1, 10, 1000), py.function("b", 11, 20, 999)));
    List<PlannedBatch> full =
        planner.plan(List.of(py.function("a", 1, 10, 1000), py.function("b", 11, 20, 1000)));

    assertThat(fits).hasSize(1);
    assertThat(fits.get(0).spanTokens()).isEqualTo(1999);
    assertThat(full)
        .hasSize(2)
        .extracting(PlannedBatch::reason)
        .containsOnly(CloseReason.BELOW_MIN_SIZE);
  }

  @Test
  void aGapOfTheMaximumLinesClosesTheBatchAndOneLessDoesNot() {
    PlanSpan a = py.function("a", 1, 10, 50);
    List<PlannedBatch> near = planner.plan(List.of(a, py.function("b", 109, 120, 50)));
    List<PlannedBatch> far = planner.plan(List.of(a, py.function("c", 110, 120, 50)));

    assertThat(near).hasSize(1);
    assertThat(far).hasSize(2);
    BatchPlanner minOne = new BatchPlanner(new PlanSettings(true, 2000, 100, 1, 200));
    assertThat(reasons(minOne.plan(List.of(a, py.function("d", 110, 120, 50)))))
        .containsExactly(CloseReason.LINE_GAP, CloseReason.END_OF_FILE);
  }

  @Test
  void helpersOnEitherSideOfASmallClassShareABatch() {
    PlanSpan holder = py.classSpan("Holder", 12, 20, 40, SpanContent.WHOLE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(py.function("before", 1, 10, 50), holder, py.function("after", 22, 30, 50)));

    assertThat(symbols(plan)).containsExactly(List.of("before", "after"), List.of("Holder"));
    assertThat(reasons(plan)).containsExactly(CloseReason.END_OF_FILE, CloseReason.BELOW_MIN_SIZE);
  }

  @Test
  void helpersBeforeAClassCloseWithOtherKind() {
    PlanSpan user = py.classSpan("User", 12, 30, 40, SpanContent.OUTLINE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                py.function("a", 1, 5, 50),
                py.function("b", 6, 10, 50),
                user,
                py.method(user, "x", 13, 20, 50),
                py.method(user, "y", 21, 30, 50)));

    assertThat(symbols(plan))
        .containsExactly(List.of("a", "b"), List.of("User"), List.of("User.x", "User.y"));
    assertThat(reasons(plan))
        .containsExactly(
            CloseReason.OTHER_KIND, CloseReason.BELOW_MIN_SIZE, CloseReason.END_OF_FILE);
  }

  @Test
  void methodsOfTwoClassesAreNeverBatchedTogether() {
    PlanSpan a = py.classSpan("A", 1, 10, 40, SpanContent.OUTLINE);
    PlanSpan b = py.classSpan("B", 11, 20, 40, SpanContent.OUTLINE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                a,
                py.method(a, "one", 2, 5, 30),
                py.method(a, "two", 6, 10, 30),
                b,
                py.method(b, "one", 12, 15, 30),
                py.method(b, "two", 16, 20, 30)));

    assertThat(symbols(plan))
        .containsExactly(List.of("A", "B"), List.of("A.one", "A.two"), List.of("B.one", "B.two"));
  }

  @Test
  void aNestedClassDoesNotSplitTheMethodsAroundIt() {
    PlanSpan outer = py.classSpan("Outer", 1, 40, 80, SpanContent.OUTLINE);
    PlanSpan inner = py.classSpan("Inner", 10, 20, 60, SpanContent.WHOLE);
    List<PlannedBatch> plan =
        planner.plan(
            List.of(
                outer,
                py.method(outer, "first", 2, 8, 40),
                inner,
                py.method(outer, "last", 22, 40, 40)));

    assertThat(symbols(plan))
        .containsExactly(List.of("Outer", "Inner"), List.of("Outer.first", "Outer.last"));
  }

  @Test
  void aMinimumSizeOfThreeTurnsPairsIntoSingles() {
    BatchPlanner minThree = new BatchPlanner(new PlanSettings(true, 2000, 100, 3, 200));
    List<PlannedBatch> plan =
        minThree.plan(List.of(py.function("a", 1, 5, 50), py.function("b", 6, 10, 50)));

    assertThat(symbols(plan)).containsExactly(List.of("a"), List.of("b"));
    assertThat(reasons(plan)).containsOnly(CloseReason.BELOW_MIN_SIZE);
  }

  @Test
  void batchingOffEnrichesEverySpanAlone() {
    BatchPlanner off = new BatchPlanner(new PlanSettings(false, 2000, 100, 2, 200));
    List<PlannedBatch> plan =
        off.plan(
            List.of(
                py.function("a", 1, 5, 50),
                py.function("b", 6, 10, 50),
                py.function("huge", 12, 900, 9000)));

    assertThat(plan).hasSize(3).allSatisfy(b -> assertThat(b.isSingle()).isTrue());
    assertThat(reasons(plan)).containsOnly(CloseReason.BATCHING_OFF);
    assertThat(plan.get(0).jobTokens()).isEqualTo(JobSizing.jobTokens(50, 1));
  }

  @Test
  void anOutlinedClassIsNotLargeByItsLineRange() {
    PlanSpan big = py.classSpan("Big", 1, 600, 150, SpanContent.OUTLINE);
    PlanSpan next = py.classSpan("Next", 602, 610, 40, SpanContent.WHOLE);
    List<PlannedBatch> plan = planner.plan(List.of(big, next));

    assertThat(symbols(plan)).containsExactly(List.of("Big", "Next"));
  }

  @Test
  void planningNothingGivesNoBatches() {
    assertThat(planner.plan(List.of())).isEmpty();
  }

  @Test
  void aSpanListedTwiceIsRejected() {
    PlanSpan a = py.function("a", 1, 5, 50);
    assertThatThrownBy(() -> planner.plan(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listed twice");
  }
}
