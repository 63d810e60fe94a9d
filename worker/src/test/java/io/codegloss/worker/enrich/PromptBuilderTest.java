package io.codegloss.worker.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.GET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL_FACTS;
import static io.codegloss.core.enrich.EnrichFixtures.USER_FACTS;
import static io.codegloss.core.enrich.EnrichFixtures.USER_SPANS;
import static io.codegloss.core.enrich.EnrichFixtures.VALIDATE_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.enrich.EnrichFixtures;
import io.codegloss.core.enrich.EnrichmentValidator;
import io.codegloss.core.enrich.ValidationOutcome;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.worker.enrich.PromptBuilder.ContextSpan;
import io.codegloss.worker.enrich.PromptBuilder.FittedCode;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

  /** Roughly one token per 4 characters, like the planner's estimate. */
  private static final ToIntFunction<String> QUARTER = s -> (s.length() + 3) / 4;

  private static Span longSpan(int lines) {
    String code =
        IntStream.range(0, lines)
            .mapToObj(i -> "    total += values[" + i + "] * weight(" + i + ")")
            .collect(Collectors.joining("\n", "def weigh(values):\n", "\n"));
    return EnrichFixtures.span(200, "weigh", 100, 100 + lines, code);
  }

  @Test
  void singlePromptCarriesTheFactsAndTheCodeWithoutLineNumbers() {
    Prompt p = PromptBuilder.single(SET_EMAIL, SET_EMAIL_FACTS, List.of());
    assertThat(p.system()).contains("JSON only");
    assertThat(p.user())
        .contains("File: app/user.py (python)")
        .contains("Span: method User.set_email, lines 13-16\n")
        .contains(
            "params: email\n"
                + "returns: nothing\n"
                + "raises: ValueError\n"
                + "calls: self.validate_email\n"
                + "side effects: self._email (field_write)\n\n"
                + "def set_email(self, email):\n")
        .contains("        self._email = email\n")
        .doesNotContain("13|")
        .doesNotContain("evidence")
        .doesNotContain("related_spans")
        .doesNotContain("usage_snippet")
        .doesNotContain("CONTEXT");
  }

  @Test
  void theExampleAsksForAMeaningOfExactlyTheListedNames() {
    String u = PromptBuilder.single(SET_EMAIL, SET_EMAIL_FACTS, List.of()).user();
    assertThat(u)
        .contains(
            "\"inputs\":[\"email: what it means\"],\"outputs\":[],"
                + "\"side_effects\":[\"self._email: why it happens\"]}");
    assertThat(u).contains("Rules:\n- summary_120w: at most 120 words");
  }

  @Test
  void factsShowTypesDefaultsAndAReturnTypeAndSayWhenThereIsNoDocstring() {
    SpanFacts f =
        new SpanFacts(
            "def load(path: str, strict: bool = False) -> dict:",
            List.of(
                new SpanFacts.Param("path", "str", null),
                new SpanFacts.Param("strict", "bool", "False")),
            "dict",
            List.of(5),
            List.of(),
            "Load   the\n config.",
            new SpanFacts.LineRange(2, 2),
            List.of(
                new SpanFacts.Call("open", null, 3),
                new SpanFacts.Call("loads", "json", 4),
                new SpanFacts.Call("loads", "json", 5)),
            List.of(
                new SpanFacts.SideEffect(SideEffectKind.FILE, "open", 3),
                new SpanFacts.SideEffect(SideEffectKind.FILE, "open", 4)));
    StringBuilder u = new StringBuilder();
    PromptBuilder.appendFacts(u, f, "def load(path: str, strict: bool = False) -> dict:\n  ...");
    assertThat(u.toString())
        .as("open is a side effect, not listed again as a call; json.loads once")
        .isEqualTo(
            "params: path: str, strict: bool = False\n"
                + "returns: dict\n"
                + "calls: json.loads\n"
                + "side effects: open (file)\n"
                + "docstring: Load the config.\n");
  }

  @Test
  void aDocstringTheCodeShowsWholeIsNotRepeatedAsAFact() {
    SpanFacts f =
        new SpanFacts(
            null,
            List.of(),
            null,
            List.of(),
            List.of(),
            "Load the\n    config.",
            null,
            List.of(),
            List.of());
    StringBuilder shown = new StringBuilder();
    PromptBuilder.appendFacts(shown, f, "def load():\n    \"\"\"Load the\n    config.\"\"\"\n");
    assertThat(shown.toString()).isEqualTo("returns: nothing\n");
    StringBuilder cut = new StringBuilder();
    PromptBuilder.appendFacts(cut, f, "def load():\n    ... (body cut)");
    assertThat(cut.toString()).isEqualTo("returns: nothing\ndocstring: Load the config.\n");
  }

  @Test
  void aSpanWithoutFactsGetsItsCodeOnlyAndNoMeaningsInTheExample() {
    String u = PromptBuilder.single(SET_EMAIL, null, List.of()).user();
    assertThat(u).doesNotContain("params:").doesNotContain("returns:");
    assertThat(u).contains("\"inputs\":[],\"outputs\":[],\"side_effects\":[]");
  }

  @Test
  void singlePromptStaysShortForASmallModel() {
    Prompt p = PromptBuilder.single(SET_EMAIL, SET_EMAIL_FACTS, List.of());
    int overhead = p.system().length() + p.user().length() - SET_EMAIL.code().length();
    assertThat(overhead / 4).as("prompt tokens beyond the code").isLessThan(250);
  }

  @Test
  void batchPromptListsEverySpanUnderItsMarkerWithItsOwnFactsAndAsksForIndexedItems() {
    Prompt p = PromptBuilder.batch(USER_SPANS, USER_FACTS, List.of());
    String u = p.user();
    int s1 =
        u.indexOf(
            "=== SPAN 1: app/user.py:10-11 (method User.get_email) ===\n"
                + "returns: a value\n"
                + "def get_email");
    int s2 =
        u.indexOf("=== SPAN 2: app/user.py:13-16 (method User.set_email) ===\nparams: email\n");
    int s3 =
        u.indexOf(
            "=== SPAN 3: app/user.py:18-19 (method User.validate_email) ===\n"
                + "params: email: str\n"
                + "returns: bool\n"
                + "docstring: True when the address has an @ sign.\n"
                + "def validate");
    assertThat(s1).isPositive();
    assertThat(s2).isGreaterThan(s1);
    assertThat(s3).isGreaterThan(s2);
    assertThat(u)
        .contains("Describe each of these 3 related code spans from app/user.py (python)")
        .contains("how it relates to the other spans")
        .contains("Analysis already listed each span's facts above its code")
        .contains("{\"items\":[...]} holding exactly 3 items, one per span,")
        .contains("\"span_index\" (1 to 3)")
        .contains(
            "{\"items\":[{\"span_index\":1,\"summary_120w\":\""
                + io.codegloss.core.enrich.EnrichmentExample.SUMMARY
                + "\",\"pitfalls\":[\"what can go wrong\"],\"inputs\":[],"
                + "\"outputs\":[\"what the returned value means\"],\"side_effects\":[]},"
                + "{\"span_index\":2,...}]}");
    assertThat(u.split("Rules:", -1)).as("instructions appear once").hasSize(2);
  }

  @Test
  void batchPromptWithoutAnyFactsSaysNothingAboutThem() {
    String u = PromptBuilder.batch(USER_SPANS, Map.of(), List.of()).user();
    assertThat(u).doesNotContain("Analysis already").doesNotContain("params:");
    assertThat(u)
        .contains("=== SPAN 2: app/user.py:13-16 (method User.set_email) ===\ndef set_email");
  }

  @Test
  void contextSectionShowsNeighboursReadOnlyBeforeTheSpans() {
    List<ContextSpan> context =
        List.of(
            ContextSpan.of(GET_EMAIL, "Returns the stored email."),
            ContextSpan.of(VALIDATE_EMAIL, null));
    Prompt p = PromptBuilder.single(SET_EMAIL, SET_EMAIL_FACTS, context);
    String u = p.user();
    assertThat(u)
        .contains("CONTEXT: nearby code for reference only. Do not describe these:")
        .contains(
            "- method User.get_email, lines 10-11: def get_email(self): -- Returns the stored email.")
        .contains("- method User.validate_email, lines 18-19: def validate_email(self, email):\n");
    assertThat(u).doesNotContain("return self._email");
    Prompt b = PromptBuilder.batch(List.of(SET_EMAIL), USER_FACTS, context);
    assertThat(b.user().indexOf("CONTEXT:")).isLessThan(b.user().indexOf("=== SPAN 1:"));
  }

  @Test
  void aSummaryThatCopiesThePromptIsRejectedByTheValidator() throws Exception {
    Prompt p = PromptBuilder.batch(USER_SPANS, USER_FACTS, List.of());
    List<String> lines = p.user().lines().toList();
    int params = lines.indexOf("params: email: str");
    // The header, the relation request, the facts intro and a span's facts: text a looping model
    // copies.
    for (String line :
        List.of(
            lines.get(0),
            lines.get(1),
            lines.get(2),
            lines.get(params) + " " + lines.get(params + 1))) {
      var item = new ObjectMapper().createObjectNode().put("summary_120w", line);
      var outcome = EnrichmentValidator.validate(item, SET_EMAIL, SET_EMAIL_FACTS);
      assertThat(outcome).as(line).isInstanceOf(ValidationOutcome.Invalid.class);
    }
  }

  @Test
  void fitCodeKeepsEverythingWhenItFits() {
    FittedCode f = PromptBuilder.fitCode(SET_EMAIL, QUARTER, 1000);
    assertThat(f.cutLines()).isZero();
    assertThat(f.keptLines()).isEqualTo(4);
    assertThat(f.note()).isNull();
    assertThat(f).isEqualTo(PromptBuilder.plain(SET_EMAIL));
  }

  @Test
  void fitCodeCutsWholeLinesFromTheTailAndSaysHowManyWithinTheBudget() {
    Span span = longSpan(200);
    List<String> all = PromptBuilder.lines(span.code());
    FittedCode f = PromptBuilder.fitCode(span, QUARTER, 500);
    assertThat(QUARTER.applyAsInt(f.text())).isLessThanOrEqualTo(500);
    List<String> lines = f.text().lines().toList();
    List<String> kept = lines.subList(0, lines.size() - 1);
    assertThat(kept).as("whole lines from the head").isEqualTo(all.subList(0, kept.size()));
    assertThat(f.keptLines()).isEqualTo(kept.size());
    assertThat(f.cutLines()).isEqualTo(all.size() - kept.size());
    int firstCut = 100 + kept.size();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "... ["
                + f.cutLines()
                + " more lines, "
                + firstCut
                + "-"
                + (100 + all.size() - 1)
                + ", cut to fit the token budget]");
    assertThat(f.note())
        .isEqualTo(
            "code cut to lines 100-"
                + (firstCut - 1)
                + " of 100-"
                + (100 + all.size() - 1)
                + " ("
                + f.cutLines()
                + " lines left out) to fit 500 tokens");
    // One more line would not have fit: the cut is as small as the budget allows.
    String oneMore =
        String.join("\n", all.subList(0, kept.size() + 1)) + "\n" + lines.get(lines.size() - 1);
    assertThat(QUARTER.applyAsInt(oneMore)).isGreaterThan(500);
  }

  @Test
  void fitCodeRefusesABudgetThatCannotHoldEvenTheFirstLine() {
    Span span = longSpan(10);
    assertThatThrownBy(() -> PromptBuilder.fitCode(span, QUARTER, 5))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("does not fit 5 tokens");
  }

  @Test
  void batchPromptUsesTheFittedCodeAndItsMarker() {
    Span span = longSpan(200);
    FittedCode f = PromptBuilder.fitCode(span, QUARTER, 300);
    Prompt p =
        PromptBuilder.batch(
            List.of(GET_EMAIL, span),
            List.of(PromptBuilder.plain(GET_EMAIL), f),
            USER_FACTS,
            List.of());
    assertThat(p.user()).contains(f.text()).contains("cut to fit the token budget]");
  }

  @Test
  void splitsWindowsLineEndingsAndIgnoresTheTrailingNewline() {
    assertThat(PromptBuilder.lines("a\r\nb\r\n")).containsExactly("a", "b");
  }
}
