package io.codegloss.worker.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.GET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.USER_FACTS;
import static io.codegloss.core.enrich.EnrichFixtures.USER_SPANS;
import static io.codegloss.core.enrich.EnrichFixtures.VALIDATE_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.enrich.EnrichFixtures;
import io.codegloss.core.span.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch answers small models really produce for the three User methods (get_email 10-11,
 * set_email 13-16, validate_email 18-19), each with exactly what is kept, dropped or failed.
 */
class BatchParserTest {

  static final String GET =
      "\"summary_120w\": \"Returns the stored email. Pairs with set_email.\", \"pitfalls\": [],"
          + " \"inputs\": [], \"outputs\": [\"the current email address\"],"
          + " \"side_effects\": []";
  static final String SET =
      "\"summary_120w\": \"Sets the email after validate_email accepts it.\","
          + " \"pitfalls\": [\"raises ValueError\"], \"inputs\": [\"email: the new address\"],"
          + " \"outputs\": [], \"side_effects\": [\"self._email: overwritten\"]";
  static final String VALIDATE =
      "\"summary_120w\": \"Checks that an email contains an @ sign. Used by set_email.\","
          + " \"pitfalls\": [\"very weak check\"], \"inputs\": [\"email: the address to check\"],"
          + " \"outputs\": [\"True when it has an @\"], \"side_effects\": []";

  static String item(int index, String body) {
    return "{\"span_index\": " + index + ", " + body + "}";
  }

  static String items(String... items) {
    return "{\"items\": [" + String.join(", ", items) + "]}";
  }

  private static BatchParseResult parse(String text) {
    return BatchParser.parse(text, USER_SPANS, USER_FACTS);
  }

  private static SpanOutcome.Valid valid(BatchParseResult r, int i) {
    assertThat(r.outcomes().get(i)).isInstanceOf(SpanOutcome.Valid.class);
    return (SpanOutcome.Valid) r.outcomes().get(i);
  }

  private static String summary(BatchParseResult r, int i) {
    return valid(r, i).enrichment().summary120w();
  }

  @Test
  void matchesEveryItemOfACleanAnswerToItsSpan() {
    BatchParseResult r = parse(items(item(1, GET), item(2, SET), item(3, VALIDATE)));
    assertThat(r.outcomes()).extracting(SpanOutcome::span).containsExactlyElementsOf(USER_SPANS);
    assertThat(summary(r, 0)).startsWith("Returns the stored email");
    assertThat(summary(r, 1)).startsWith("Sets the email");
    assertThat(summary(r, 2)).startsWith("Checks that an email");
    assertThat(valid(r, 1).enrichment().inputs()).containsExactly("email: the new address");
    assertThat(valid(r, 1).enrichment().sideEffects()).containsExactly("self._email: overwritten");
    assertThat(valid(r, 2).enrichment().outputs()).containsExactly("True when it has an @");
    assertThat(r.items()).isEqualTo(3);
    assertThat(r.countMismatch()).isFalse();
    assertThat(r.callOutcome()).isEqualTo("ok");
    assertThat(r.failed()).isEmpty();
  }

  @Test
  void matchesReorderedItemsBySpanIndexNotByPosition() {
    BatchParseResult r = parse(items(item(3, VALIDATE), item(1, GET), item(2, SET)));
    assertThat(summary(r, 0)).startsWith("Returns the stored email");
    assertThat(summary(r, 1)).startsWith("Sets the email");
    assertThat(summary(r, 2)).startsWith("Checks that an email");
  }

  @Test
  void leavesOnlyTheSkippedSpanMissing() {
    BatchParseResult r = parse(items(item(1, GET), item(3, VALIDATE)));
    valid(r, 0);
    assertThat(r.outcomes().get(1))
        .isEqualTo(new SpanOutcome.Missing(SET_EMAIL, "no item with span_index 2"));
    valid(r, 2);
    assertThat(r.items()).isEqualTo(2);
    assertThat(r.countMismatch()).isTrue();
    assertThat(r.callOutcome()).isEqualTo("partial");
    assertThat(r.failed()).extracting(SpanOutcome::span).containsExactly(SET_EMAIL);
  }

  @Test
  void neverMatchesItemsWithoutSpanIndexByPosition() {
    BatchParseResult r = parse(items("{" + GET + "}", "{" + SET + "}", "{" + VALIDATE + "}"));
    assertThat(r.outcomes()).allMatch(SpanOutcome.Missing.class::isInstance);
    assertThat(r.unindexed()).isEqualTo(3);
    assertThat(r.callOutcome()).isEqualTo("invalid");
  }

  @Test
  void keepsTheFirstValidItemOfADuplicatedIndex() {
    String bad = item(2, "\"summary_120w\": \"\"");
    String second = item(2, SET.replace("Sets the email", "Stores the email"));
    BatchParseResult r = parse(items(item(1, GET), bad, item(2, SET), second, item(3, VALIDATE)));
    assertThat(summary(r, 1)).startsWith("Sets the email");
    assertThat(r.duplicates()).isEqualTo(2);
    assertThat(r.extra()).isEqualTo(2);
    assertThat(r.failed()).isEmpty();
  }

  @Test
  void reportsEveryReasonWhenAllDuplicatesOfAnIndexAreInvalid() {
    String bad1 = item(2, "\"summary_120w\": \"\"");
    String bad2 = item(2, "\"summary_120w\": 7");
    BatchParseResult r = parse(items(item(1, GET), bad1, bad2, item(3, VALIDATE)));
    assertThat(r.outcomes().get(1))
        .isEqualTo(
            new SpanOutcome.Invalid(
                SET_EMAIL, "summary_120w is empty (and 1 duplicate item(s) also invalid)"));
  }

  @Test
  void ignoresAndCountsOutOfRangeAndExtraItems() {
    BatchParseResult r =
        parse(items(item(1, GET), item(2, SET), item(3, VALIDATE), item(4, GET), item(0, SET)));
    assertThat(r.valid()).hasSize(3);
    assertThat(r.outOfRange()).isEqualTo(2);
    assertThat(r.extra()).isEqualTo(2);
    assertThat(r.items()).isEqualTo(5);
    assertThat(r.countMismatch()).isTrue();
  }

  @Test
  void keepsTheValidItemsWhenOneItemIsInvalid() {
    String wrongTypes =
        item(2, SET.replace("\"inputs\": [\"email: the new address\"]", "\"inputs\": \"email\""));
    BatchParseResult r = parse(items(item(1, GET), wrongTypes, item(3, VALIDATE)));
    valid(r, 0);
    valid(r, 2);
    assertThat(r.outcomes().get(1)).isInstanceOf(SpanOutcome.Invalid.class);
    assertThat(((SpanOutcome.Invalid) r.outcomes().get(1)).reason())
        .startsWith("schema: ")
        .contains("inputs");
    assertThat(r.callOutcome()).isEqualTo("partial");
  }

  @Test
  void failsEverySpanOnATruncatedAnswerWithoutKeepingTheItemsBeforeTheCut() {
    String full = items(item(1, GET), item(2, SET), item(3, VALIDATE));
    BatchParseResult r = parse(full.substring(0, full.length() - 80));
    assertThat(r.outcomes()).allMatch(SpanOutcome.Missing.class::isInstance);
    assertThat(r.failure()).startsWith("truncated JSON");
    assertThat(r.items()).isZero();
    assertThat(r.valid()).isEmpty();
  }

  @Test
  void failsEverySpanWhenTheAnswerHasNoJson() {
    BatchParseResult r = parse("Here are the summaries: get_email returns the email.");
    assertThat(r.outcomes())
        .containsExactly(
            new SpanOutcome.Missing(GET_EMAIL, "no JSON object in the completion"),
            new SpanOutcome.Missing(SET_EMAIL, "no JSON object in the completion"),
            new SpanOutcome.Missing(VALIDATE_EMAIL, "no JSON object in the completion"));
  }

  @Test
  void acceptsATopLevelArrayInsteadOfTheItemsObject() {
    BatchParseResult r =
        parse("[" + item(2, SET) + ", " + item(1, GET) + ", " + item(3, VALIDATE) + "]");
    assertThat(r.valid()).hasSize(3);
    assertThat(summary(r, 1)).startsWith("Sets the email");
    assertThat(r.note()).contains("wrapped a top-level array");
  }

  @Test
  void acceptsAFencedAnswerWithProseAroundIt() {
    String text =
        "Here is the JSON for the 3 spans:\n```json\n"
            + items(item(1, GET), item(2, SET), item(3, VALIDATE))
            + "\n```\nThe spans form a getter/setter pair with a validator.";
    assertThat(parse(text).valid()).hasSize(3);
  }

  @Test
  void acceptsARenamedItemsArray() {
    String text =
        "{\"enrichments\": ["
            + item(1, GET)
            + ", "
            + item(2, SET)
            + ", "
            + item(3, VALIDATE)
            + "]}";
    assertThat(parse(text).valid()).hasSize(3);
  }

  @Test
  void acceptsSpanIndexWrittenAsAString() {
    String text =
        items(
            item(1, GET),
            "{\"span_index\": \"2\", " + SET + "}",
            item(3, VALIDATE).replace("3,", "3.0,"));
    assertThat(parse(text).valid()).hasSize(3);
  }

  @Test
  void checksEachItemsMeaningsAgainstItsOwnSpansFacts() {
    // A common batch mistake: span 1 (get_email, no parameters, no side effects) gets span 2's
    // meanings. They are dropped from span 1 and counted there, and kept for span 2.
    String get =
        GET.replace("\"inputs\": []", "\"inputs\": [\"email: the new address\"]")
            .replace("\"side_effects\": []", "\"side_effects\": [\"self._email: overwritten\"]");
    BatchParseResult r = parse(items(item(1, get), item(2, SET), item(3, VALIDATE)));
    assertThat(valid(r, 0).enrichment().inputs()).isEmpty();
    assertThat(valid(r, 0).enrichment().sideEffects()).isEmpty();
    assertThat(valid(r, 0).droppedNames()).isEqualTo(2);
    assertThat(valid(r, 1).enrichment().inputs()).containsExactly("email: the new address");
    assertThat(valid(r, 1).droppedNames()).isZero();
  }

  @Test
  void aSpanWithoutFactsKeepsItsMeaningsUnchecked() {
    String get = GET.replace("\"inputs\": []", "\"inputs\": [\"email: the new address\"]");
    BatchParseResult r =
        BatchParser.parse(
            items(item(1, get), item(2, SET), item(3, VALIDATE)),
            USER_SPANS,
            Map.of(102L, EnrichFixtures.SET_EMAIL_FACTS));
    assertThat(valid(r, 0).enrichment().inputs()).containsExactly("email: the new address");
    assertThat(valid(r, 0).droppedNames()).isZero();
    assertThat(valid(r, 1).enrichment().sideEffects()).containsExactly("self._email: overwritten");
  }

  @Test
  void flagsOnlyTheItemWhoseSummaryIsItsDocstring() {
    String validate =
        VALIDATE.replace(
            "Checks that an email contains an @ sign. Used by set_email.",
            "True when the address has an @ sign.");
    BatchParseResult r = parse(items(item(1, GET), item(2, SET), item(3, validate)));
    assertThat(valid(r, 2).summaryIsDocstring()).isTrue();
    assertThat(valid(r, 0).summaryIsDocstring()).isFalse();
    assertThat(valid(r, 1).summaryIsDocstring()).isFalse();
  }

  @Test
  void trimsALongSummaryInOneItemAndSaysSoForThatItemOnly() {
    String longSummary = "Returns the stored email. ".repeat(50).strip();
    String get = GET.replace("Returns the stored email. Pairs with set_email.", longSummary);
    BatchParseResult r = parse(items(item(1, get), item(2, SET), item(3, VALIDATE)));
    assertThat(valid(r, 0).notes())
        .containsExactly("summary trimmed from 200 to 120 words at a sentence end");
    assertThat(valid(r, 1).notes()).isEmpty();
  }

  @Test
  void acceptsALoneItemForASingleSpanBatchWithoutSpanIndex() {
    BatchParseResult r = BatchParser.parse("{" + SET + "}", List.of(SET_EMAIL), USER_FACTS);
    assertThat(r.valid()).hasSize(1);
    assertThat(r.unindexed()).isZero();
  }

  @Test
  void reportsAnItemsFieldThatIsNotAnArray() {
    BatchParseResult r = parse("{\"items\": \"none\"}");
    assertThat(r.failure()).isEqualTo("the answer has no items array");
    assertThat(r.outcomes()).allMatch(SpanOutcome.Missing.class::isInstance);
  }

  @Test
  void countsNonObjectItemsAsUnindexed() {
    List<Span> two = List.of(GET_EMAIL, SET_EMAIL);
    BatchParseResult r = BatchParser.parse(items(item(1, GET), "\"oops\"", "42"), two, USER_FACTS);
    assertThat(r.unindexed()).isEqualTo(2);
    assertThat(r.outcomes().get(1)).isInstanceOf(SpanOutcome.Missing.class);
  }

  @Test
  void skipsJsonQuotedFromTheCodeBeforeTheAnswer() {
    String text =
        "The code returns {\"ok\": true} when done. Answer:\n"
            + items(item(1, GET), item(2, SET), item(3, VALIDATE));
    assertThat(parse(text).valid()).hasSize(3);
  }

  @Test
  void aTruncatedAnswerAfterQuotedJsonStillFailsAsTruncated() {
    String full = items(item(1, GET), item(2, SET), item(3, VALIDATE));
    String text = "It builds {\"ok\": true}.\n" + full.substring(0, full.length() - 40);
    BatchParseResult r = parse(text);
    assertThat(r.failure()).startsWith("truncated JSON");
    assertThat(r.valid()).isEmpty();
  }
}
