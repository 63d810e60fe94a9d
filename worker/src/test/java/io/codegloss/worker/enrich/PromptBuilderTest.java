package io.codegloss.worker.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.GET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.USER_RESOLVER;
import static io.codegloss.core.enrich.EnrichFixtures.USER_SPANS;
import static io.codegloss.core.enrich.EnrichFixtures.VALIDATE_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.enrich.EnrichFixtures;
import io.codegloss.core.enrich.EnrichmentValidator;
import io.codegloss.core.enrich.ValidationOutcome;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.span.Span;
import io.codegloss.worker.enrich.PromptBuilder.ContextSpan;
import io.codegloss.worker.enrich.PromptBuilder.FittedCode;
import java.util.List;
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
  void singlePromptNamesTheSpanAndNumbersItsLinesAsInTheFile() {
    Prompt p = PromptBuilder.single(SET_EMAIL, List.of());
    assertThat(p.system()).contains("JSON only");
    assertThat(p.user())
        .contains("File: app/user.py (python)")
        .contains("Span: method User.set_email, lines 13-16")
        .contains("13| def set_email(self, email):")
        .contains("16|         self._email = email")
        .doesNotContain("17|")
        .contains("\"lines\":[13,16]")
        .contains("(13-16)")
        .doesNotContain("CONTEXT");
  }

  @Test
  void singlePromptStaysShortForASmallModel() {
    Prompt p = PromptBuilder.single(SET_EMAIL, List.of());
    int overhead = p.system().length() + p.user().length() - SET_EMAIL.code().length();
    assertThat(overhead / 4).as("prompt tokens beyond the code").isLessThan(300);
  }

  @Test
  void batchPromptListsEverySpanUnderItsMarkerAndAsksForIndexedItems() {
    Prompt p = PromptBuilder.batch(USER_SPANS, List.of());
    String u = p.user();
    int s1 =
        u.indexOf("=== SPAN 1: app/user.py:10-11 (method User.get_email) ===\n10| def get_email");
    int s2 =
        u.indexOf("=== SPAN 2: app/user.py:13-16 (method User.set_email) ===\n13| def set_email");
    int s3 =
        u.indexOf(
            "=== SPAN 3: app/user.py:18-19 (method User.validate_email) ===\n18| def validate");
    assertThat(s1).isPositive();
    assertThat(s2).isGreaterThan(s1);
    assertThat(s3).isGreaterThan(s2);
    assertThat(u)
        .contains("Describe each of these 3 related code spans from app/user.py (python)")
        .contains("how it relates to the other spans")
        .contains("{\"items\":[...]} holding exactly 3 items, one per span,")
        .contains("\"span_index\" (1 to 3)")
        .contains("{\"items\":[{\"span_index\":1,\"summary_120w\":");
    assertThat(u.split("Rules:", -1)).as("instructions appear once").hasSize(2);
  }

  @Test
  void contextSectionShowsNeighboursReadOnlyBeforeTheSpans() {
    List<ContextSpan> context =
        List.of(
            ContextSpan.of(GET_EMAIL, "Returns the stored email."),
            ContextSpan.of(VALIDATE_EMAIL, null));
    Prompt p = PromptBuilder.single(SET_EMAIL, context);
    String u = p.user();
    assertThat(u)
        .contains("CONTEXT: nearby code for reference only. Do not describe these:")
        .contains(
            "- method User.get_email, lines 10-11: def get_email(self): -- Returns the stored email.")
        .contains("- method User.validate_email, lines 18-19: def validate_email(self, email):\n");
    assertThat(u).doesNotContain("10| def get_email");
    Prompt b = PromptBuilder.batch(List.of(SET_EMAIL), context);
    assertThat(b.user().indexOf("CONTEXT:")).isLessThan(b.user().indexOf("=== SPAN 1:"));
  }

  @Test
  void aSummaryThatCopiesThePromptIsRejectedByTheValidator() throws Exception {
    Prompt p = PromptBuilder.batch(USER_SPANS, List.of());
    String firstLine = p.user().lines().findFirst().orElseThrow();
    var item = new ObjectMapper().createObjectNode().put("summary_120w", firstLine);
    var outcome = EnrichmentValidator.validate(item, SET_EMAIL, USER_RESOLVER);
    assertThat(outcome).isInstanceOf(ValidationOutcome.Invalid.class);
    assertThat(((ValidationOutcome.Invalid) outcome).reason()).contains("echoes the prompt");
  }

  @Test
  void fitCodeKeepsEverythingWhenItFits() {
    FittedCode f = PromptBuilder.fitCode(SET_EMAIL, QUARTER, 1000);
    assertThat(f.cutLines()).isZero();
    assertThat(f.keptLines()).isEqualTo(4);
    assertThat(f.note()).isNull();
    assertThat(f).isEqualTo(PromptBuilder.numbered(SET_EMAIL));
  }

  @Test
  void fitCodeCutsWholeLinesFromTheTailAndSaysHowManyWithinTheBudget() {
    Span span = longSpan(200);
    List<String> all = PromptBuilder.numberedLines(span.code(), span.startLine());
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
            List.of(GET_EMAIL, span), List.of(PromptBuilder.numbered(GET_EMAIL), f), List.of());
    assertThat(p.user()).contains(f.text()).contains("cut to fit the token budget]");
  }

  @Test
  void numbersWindowsLineEndingsAndIgnoresTheTrailingNewline() {
    assertThat(PromptBuilder.numberedLines("a\r\nb\r\n", 7)).containsExactly("7| a", "8| b");
  }
}
