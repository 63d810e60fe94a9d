package io.codegloss.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Random layouts of files, functions, classes with methods (some nested classes), line positions
 * and token sizes, planned with random settings: every batch obeys every rule, every reason is
 * true, every pending span lands in exactly one batch, and each setting acts as documented.
 */
class BatchPlannerPropertiesTest {

  // ---------------------------------------------------------------- layouts

  /** A method inside a class: lines after the previous member, its length and tokens. */
  record MethodSpec(int gapBefore, int lines, int tokens, boolean pending) {}

  /** A top-level function or class; a class may hold methods and one nested class. */
  record ItemSpec(
      boolean isClass,
      int gapBefore,
      int lines,
      int tokens,
      boolean pending,
      List<MethodSpec> methods,
      boolean nestedClass) {}

  record Layout(List<PlanSpan> all, List<PlanSpan> pending) {}

  @Provide
  Arbitrary<Layout> layouts() {
    Arbitrary<MethodSpec> method =
        Combinators.combine(skewed(0, 8, 60), skewed(1, 30, 260), tokens(), pendingFlag())
            .as(MethodSpec::new);
    Arbitrary<ItemSpec> item =
        Combinators.combine(
                ints(0, 3).map(i -> i == 0).withoutEdgeCases(),
                skewed(0, 40, 180),
                skewed(1, 60, 600),
                tokens(),
                pendingFlag(),
                method.list().ofMaxSize(6),
                ints(0, 3).map(i -> i == 0))
            .as(ItemSpec::new);
    return item.list()
        .ofMinSize(1)
        .ofMaxSize(14)
        .withSizeDistribution(RandomDistribution.uniform())
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(this::build);
  }

  private static Arbitrary<Integer> tokens() {
    return Arbitraries.frequencyOf(
        Tuple.of(14, ints(0, 200)),
        Tuple.of(5, ints(150, 600)),
        Tuple.of(1, ints(600, 1500)),
        Tuple.of(1, ints(1000, 6000)));
  }

  /** Uniform: jqwik's default leans towards the low end, which would make most spans empty. */
  private static Arbitrary<Integer> ints(int min, int max) {
    return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
  }

  /** Mostly from {@code min} to {@code typical}, now and then up to {@code max}. */
  private static Arbitrary<Integer> skewed(int min, int typical, int max) {
    return Arbitraries.frequencyOf(Tuple.of(5, ints(min, typical)), Tuple.of(1, ints(min, max)));
  }

  private static Arbitrary<Boolean> pendingFlag() {
    return ints(0, 7).map(i -> i != 0).withoutEdgeCases();
  }

  private Layout build(List<List<ItemSpec>> files) {
    List<PlanSpan> all = new ArrayList<>();
    List<PlanSpan> pending = new ArrayList<>();
    long[] nextId = {1};
    // paths chosen so that file order by path differs from file id order
    String[] paths = {"src/zeta.py", "lib/alpha.go", "app/mid.js"};
    for (int f = 0; f < files.size(); f++) {
      long fileId = 10 + f;
      String path = paths[f];
      String language = path.substring(path.lastIndexOf('.') + 1);
      int cursor = 0;
      for (ItemSpec item : files.get(f)) {
        int start = cursor + item.gapBefore() + 1;
        if (!item.isClass()) {
          int end = start + item.lines() - 1;
          add(
              all,
              pending,
              nextId,
              fileId,
              path,
              language,
              SpanKind.FUNCTION,
              null,
              "f" + nextId[0],
              start,
              end,
              item.tokens(),
              SpanContent.WHOLE,
              item.pending());
          cursor = end;
          continue;
        }
        long classId = nextId[0];
        List<PlanSpan> members = new ArrayList<>();
        List<Boolean> memberPending = new ArrayList<>();
        long[] memberIds = {classId + 1};
        int inner = start;
        int nestedAt = item.methods().size() / 2;
        for (int m = 0; m <= item.methods().size(); m++) {
          if (m == nestedAt && item.nestedClass()) {
            int ns = inner + 1;
            int ne = ns + 5;
            members.add(
                span(
                    memberIds[0]++,
                    fileId,
                    path,
                    language,
                    SpanKind.CLASS,
                    classId,
                    "N" + classId,
                    ns,
                    ne,
                    40,
                    SpanContent.WHOLE));
            memberPending.add(true);
            inner = ne;
          }
          if (m == item.methods().size()) {
            break;
          }
          MethodSpec ms = item.methods().get(m);
          int ms0 = inner + ms.gapBefore() + 1;
          int me = ms0 + ms.lines() - 1;
          members.add(
              span(
                  memberIds[0]++,
                  fileId,
                  path,
                  language,
                  SpanKind.METHOD,
                  classId,
                  "C" + classId + ".m" + m,
                  ms0,
                  me,
                  ms.tokens(),
                  SpanContent.WHOLE));
          memberPending.add(ms.pending());
          inner = me;
        }
        int end = Math.max(start + item.lines() - 1, inner + 1);
        SpanContent content = members.isEmpty() ? SpanContent.WHOLE : SpanContent.OUTLINE;
        PlanSpan cls =
            span(
                classId,
                fileId,
                path,
                language,
                SpanKind.CLASS,
                null,
                "C" + classId,
                start,
                end,
                item.tokens(),
                content);
        all.add(cls);
        if (item.pending()) {
          pending.add(cls);
        }
        for (int i = 0; i < members.size(); i++) {
          all.add(members.get(i));
          if (memberPending.get(i)) {
            pending.add(members.get(i));
          }
        }
        nextId[0] = memberIds[0];
        cursor = end;
      }
    }
    return new Layout(all, pending);
  }

  private static void add(
      List<PlanSpan> all,
      List<PlanSpan> pending,
      long[] nextId,
      long fileId,
      String path,
      String language,
      SpanKind kind,
      Long parentId,
      String symbol,
      int start,
      int end,
      int tokens,
      SpanContent content,
      boolean isPending) {
    PlanSpan s =
        span(
            nextId[0]++,
            fileId,
            path,
            language,
            kind,
            parentId,
            symbol,
            start,
            end,
            tokens,
            content);
    all.add(s);
    if (isPending) {
      pending.add(s);
    }
  }

  private static PlanSpan span(
      long id,
      long fileId,
      String path,
      String language,
      SpanKind kind,
      Long parentId,
      String symbol,
      int start,
      int end,
      int tokens,
      SpanContent content) {
    return new PlanSpan(
        id, fileId, path, language, kind, parentId, symbol, start, end, tokens, "h" + id, content);
  }

  @Provide
  Arbitrary<PlanSettings> settings() {
    return Combinators.combine(
            ints(0, 9).map(i -> i != 0).withoutEdgeCases(),
            Arbitraries.frequencyOf(
                Tuple.of(3, ints(300, 900)),
                Tuple.of(3, ints(900, 2500)),
                Tuple.of(1, ints(1, 5000))),
            Arbitraries.frequencyOf(Tuple.of(5, ints(20, 200)), Tuple.of(1, ints(1, 250))),
            ints(1, 4),
            Arbitraries.frequencyOf(Tuple.of(5, ints(100, 400)), Tuple.of(1, ints(1, 400))))
        .as(PlanSettings::new);
  }

  // ---------------------------------------------------------------- rules

  @Property(tries = 400)
  void everyPendingSpanLandsInExactlyOneBatch(
      @ForAll("layouts") Layout layout, @ForAll("settings") PlanSettings settings) {
    List<PlannedBatch> plan = new BatchPlanner(settings).plan(layout.pending());

    List<Long> planned =
        plan.stream().flatMap(b -> b.spans().stream()).map(PlanSpan::spanId).sorted().toList();
    List<Long> expected = layout.pending().stream().map(PlanSpan::spanId).sorted().toList();
    assertThat(planned).isEqualTo(expected);
  }

  @Property(tries = 400)
  void everyBatchObeysEveryRule(
      @ForAll("layouts") Layout layout, @ForAll("settings") PlanSettings settings) {
    List<PlannedBatch> plan = new BatchPlanner(settings).plan(layout.pending());

    for (PlannedBatch b : plan) {
      List<PlanSpan> spans = b.spans();
      assertThat(spans).extracting(PlanSpan::fileId).containsOnly(b.fileId());
      assertThat(spans).extracting(PlanSpan::path).containsOnly(b.path());
      assertThat(spans)
          .extracting(PlanSpan::language)
          .hasSize(spans.size())
          .containsOnly(spans.get(0).language());
      assertThat(spans).isSortedAccordingTo(BatchPlanner.LINE_ORDER);
      int sum = spans.stream().mapToInt(PlanSpan::tokens).sum();
      assertThat(b.spanTokens()).isEqualTo(sum);
      assertThat(b.jobTokens()).isEqualTo(JobSizing.jobTokens(sum, spans.size()));
      if (spans.size() == 1) {
        continue;
      }
      assertThat(settings.enabled()).isTrue();
      assertThat(spans.size()).isGreaterThanOrEqualTo(settings.minSize());
      assertThat(spans).extracting(PlanSpan::kind).containsOnly(spans.get(0).kind());
      if (spans.get(0).kind() == SpanKind.METHOD) {
        assertThat(spans.stream().map(PlanSpan::parentId).distinct()).hasSize(1);
      }
      assertThat(b.spanTokens()).isLessThan(settings.maxTokens());
      for (int i = 0; i < spans.size(); i++) {
        assertThat(settings.isLarge(spans.get(i))).isFalse();
        if (i > 0) {
          assertThat(spans.get(i).startLine() - spans.get(i - 1).endLine())
              .isLessThan(settings.maxLineGap());
        }
      }
    }
  }

  @Property(tries = 400)
  void everyReasonIsTrue(
      @ForAll("layouts") Layout layout, @ForAll("settings") PlanSettings settings) {
    List<PlanSpan> pending = layout.pending();
    List<PlannedBatch> plan = new BatchPlanner(settings).plan(pending);
    Map<Long, List<PlanSpan>> byFile =
        pending.stream().collect(Collectors.groupingBy(PlanSpan::fileId));
    byFile.values().forEach(l -> l.sort(BatchPlanner.LINE_ORDER));

    for (PlannedBatch b : plan) {
      PlanSpan last = b.spans().get(b.spans().size() - 1);
      List<PlanSpan> file = byFile.get(b.fileId());
      List<PlanSpan> after = file.subList(file.indexOf(last) + 1, file.size());
      PlanSpan nextOfGroup =
          after.stream().filter(s -> sameGroup(s, last)).findFirst().orElse(null);
      switch (b.reason()) {
        case BATCHING_OFF -> assertThat(settings.enabled()).isFalse();
        case BELOW_MIN_SIZE -> {
          assertThat(b.isSingle()).isTrue();
          assertThat(settings.minSize()).isGreaterThan(1);
          assertThat(settings.isLarge(last)).isFalse();
        }
        case LARGE_SPAN ->
            assertThat(
                    settings.isLarge(last)
                        || (nextOfGroup != null && settings.isLarge(nextOfGroup)))
                .isTrue();
        case LINE_GAP -> {
          assertThat(nextOfGroup).isNotNull();
          assertThat(nextOfGroup.startLine() - last.endLine())
              .isGreaterThanOrEqualTo(settings.maxLineGap());
        }
        case TOKEN_BUDGET -> {
          assertThat(nextOfGroup).isNotNull();
          assertThat(b.spanTokens() + nextOfGroup.tokens())
              .isGreaterThanOrEqualTo(settings.maxTokens());
        }
        case OTHER_KIND -> {
          assertThat(nextOfGroup).isNull();
          assertThat(after).isNotEmpty();
        }
        case END_OF_FILE -> assertThat(after).isEmpty();
        case OTHER_FILE -> throw new AssertionError("the planner never closes with other_file");
      }
      if (settings.enabled()) {
        assertThat(b.reason()).isNotEqualTo(CloseReason.BATCHING_OFF);
      }
    }
    // the generator has to reach every reason and real batches, or the checks above prove little
    for (CloseReason r : CloseReason.values()) {
      Statistics.label("reason " + r.jsonName())
          .collect(plan.stream().anyMatch(b -> b.reason() == r));
    }
    Statistics.label("a batch of 3+ spans")
        .collect(plan.stream().anyMatch(b -> b.spans().size() > 2));
    for (CloseReason r : CloseReason.values()) {
      if (r != CloseReason.OTHER_FILE) {
        Statistics.label("reason " + r.jsonName())
            .coverage(
                c -> c.check(true).percentage(p -> p >= (r == CloseReason.TOKEN_BUDGET ? 2 : 5)));
      }
    }
    Statistics.label("a batch of 3+ spans").coverage(c -> c.check(true).percentage(p -> p >= 30));
  }

  private static boolean sameGroup(PlanSpan a, PlanSpan b) {
    return a.kind() == b.kind()
        && (a.kind() != SpanKind.METHOD || Objects.equals(a.parentId(), b.parentId()));
  }

  @Property(tries = 200)
  void theOrderOfThePendingListDoesNotMatter(
      @ForAll("layouts") Layout layout,
      @ForAll("settings") PlanSettings settings,
      @ForAll long seed) {
    List<PlanSpan> shuffled = new ArrayList<>(layout.pending());
    Collections.shuffle(shuffled, new Random(seed));
    BatchPlanner planner = new BatchPlanner(settings);

    assertThat(planner.plan(shuffled)).isEqualTo(planner.plan(layout.pending()));
  }

  @Property(tries = 200)
  void eachFileIsPlannedAsIfItWereAlone(
      @ForAll("layouts") Layout layout, @ForAll("settings") PlanSettings settings) {
    BatchPlanner planner = new BatchPlanner(settings);
    List<PlannedBatch> together = planner.plan(layout.pending());

    Map<Long, List<PlanSpan>> byFile =
        layout.pending().stream().collect(Collectors.groupingBy(PlanSpan::fileId));
    List<PlannedBatch> separately =
        byFile.values().stream()
            .sorted(Comparator.comparing((List<PlanSpan> f) -> f.get(0).path()))
            .flatMap(f -> planner.plan(f).stream())
            .toList();
    assertThat(together).isEqualTo(separately);
    assertThat(together).isSortedAccordingTo(Comparator.comparing(PlannedBatch::path));
  }

  // ---------------------------------------------------------------- settings

  @Property(tries = 200)
  void batchingOffMakesEverySpanASingle(
      @ForAll("layouts") Layout layout, @ForAll("settings") PlanSettings settings) {
    PlanSettings off =
        new PlanSettings(
            false,
            settings.maxTokens(),
            settings.maxLineGap(),
            settings.minSize(),
            settings.largeSpanLines());
    List<PlannedBatch> plan = new BatchPlanner(off).plan(layout.pending());

    assertThat(plan).hasSize(layout.pending().size());
    assertThat(plan)
        .allSatisfy(
            b -> {
              assertThat(b.isSingle()).isTrue();
              assertThat(b.reason()).isEqualTo(CloseReason.BATCHING_OFF);
            });
  }

  @Property(tries = 200)
  void aMinimumSizeOnlyDissolvesTheBatchesSmallerThanIt(
      @ForAll("layouts") Layout layout,
      @ForAll("settings") PlanSettings settings,
      @ForAll @IntRange(min = 2, max = 6) int minSize) {
    PlanSettings one = with(settings, 1);
    PlanSettings n = with(settings, minSize);
    List<PlannedBatch> loose = new BatchPlanner(one).plan(layout.pending());
    List<PlannedBatch> strict = new BatchPlanner(n).plan(layout.pending());

    List<List<PlanSpan>> expected = new ArrayList<>();
    for (PlannedBatch b : loose) {
      if (b.spans().size() >= minSize || !settings.enabled()) {
        expected.add(b.spans());
      } else {
        b.spans().forEach(s -> expected.add(List.of(s)));
      }
    }
    assertThat(strict.stream().map(PlannedBatch::spans).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(strict).noneMatch(b -> b.spans().size() > 1 && b.spans().size() < minSize);
  }

  private static PlanSettings with(PlanSettings s, int minSize) {
    return new PlanSettings(
        s.enabled(), s.maxTokens(), s.maxLineGap(), minSize, s.largeSpanLines());
  }

  @Property(tries = 200)
  void withoutLimitsEachKindOfAFileIsOneBatch(@ForAll("layouts") Layout layout) {
    PlanSettings unlimited = new PlanSettings(true, 1_000_000, 10_000_000, 1, 10_000_000);
    List<PlannedBatch> plan = new BatchPlanner(unlimited).plan(layout.pending());

    Map<List<Object>, Long> groups =
        layout.pending().stream()
            .collect(
                Collectors.groupingBy(
                    s ->
                        List.of(
                            s.fileId(),
                            s.kind(),
                            s.kind() == SpanKind.METHOD ? s.parentId() : "none"),
                    Collectors.counting()));
    assertThat(plan).hasSize(groups.size());
    assertThat(plan)
        .extracting(PlannedBatch::reason)
        .allMatch(r -> r == CloseReason.END_OF_FILE || r == CloseReason.OTHER_KIND);
  }

  @Property(tries = 200)
  void aSmallerLineGapNeverJoinsWhatALargerOneSplit(
      @ForAll("layouts") Layout layout,
      @ForAll @IntRange(min = 1, max = 200) int gapA,
      @ForAll @IntRange(min = 1, max = 200) int gapB) {
    int small = Math.min(gapA, gapB);
    int large = Math.max(gapA, gapB);
    List<PlannedBatch> tight =
        new BatchPlanner(new PlanSettings(true, 1_000_000, small, 1, 10_000_000))
            .plan(layout.pending());
    List<PlannedBatch> loose =
        new BatchPlanner(new PlanSettings(true, 1_000_000, large, 1, 10_000_000))
            .plan(layout.pending());

    // with no token or size limit, the line gap is the only cut, so the tight plan refines the
    // loose one
    Map<Long, Integer> looseBatchOf = batchIndex(loose);
    for (PlannedBatch b : tight) {
      assertThat(b.spans().stream().map(s -> looseBatchOf.get(s.spanId())).distinct()).hasSize(1);
    }
    assertThat(tight.size()).isGreaterThanOrEqualTo(loose.size());
  }

  @Provide
  Arbitrary<Integer> budgets() {
    return Arbitraries.frequencyOf(Tuple.of(4, ints(200, 1200)), Tuple.of(1, ints(1, 5000)));
  }

  @Property(tries = 200)
  void theTokenBudgetBoundsEveryBatchAndEveryLargeSpanGoesAlone(
      @ForAll("layouts") Layout layout, @ForAll("budgets") int maxTokens) {
    List<PlannedBatch> plan =
        new BatchPlanner(new PlanSettings(true, maxTokens, 10_000_000, 1, 10_000_000))
            .plan(layout.pending());

    assertThat(plan)
        .allSatisfy(
            b -> {
              if (!b.isSingle()) {
                assertThat(b.spanTokens()).isLessThan(maxTokens);
                assertThat(b.spans())
                    .allSatisfy(s -> assertThat(2 * s.tokens()).isLessThanOrEqualTo(maxTokens));
              }
            });
    Statistics.label("token_budget")
        .collect(plan.stream().anyMatch(b -> b.reason() == CloseReason.TOKEN_BUDGET))
        .coverage(c -> c.check(true).percentage(p -> p >= 10));
    long largeSpans = layout.pending().stream().filter(s -> 2L * s.tokens() > maxTokens).count();
    assertThat(
            plan.stream()
                .filter(
                    b ->
                        b.reason() == CloseReason.LARGE_SPAN
                            && b.isSingle()
                            && 2L * b.spanTokens() > maxTokens))
        .hasSize((int) largeSpans);
  }

  private static Map<Long, Integer> batchIndex(List<PlannedBatch> plan) {
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      for (PlanSpan s : plan.get(i).spans()) {
        index.put(s.spanId(), i);
      }
    }
    return index;
  }
}
