package io.codegloss.worker.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL_FACTS;
import static io.codegloss.worker.enrich.BatchParserTest.SET;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SingleParserTest {

  private static SpanOutcome parse(String text) {
    return SingleParser.parse(text, SET_EMAIL, SET_EMAIL_FACTS);
  }

  @Test
  void acceptsTheBareObjectItAskedFor() {
    SpanOutcome o = parse("{" + SET + "}");
    assertThat(o).isInstanceOf(SpanOutcome.Valid.class);
    assertThat(((SpanOutcome.Valid) o).enrichment().inputs())
        .containsExactly("email: the new address");
  }

  @Test
  void acceptsAnArrayOfOneObjectInAFence() {
    assertThat(parse("```json\n[{" + SET + "}]\n```")).isInstanceOf(SpanOutcome.Valid.class);
  }

  @Test
  void acceptsABatchShapedAnswerWithOneItem() {
    assertThat(parse("{\"items\": [{\"span_index\": 1, " + SET + "}]}"))
        .isInstanceOf(SpanOutcome.Valid.class);
  }

  @Test
  void takesTheItemForSpanOneFromABatchShapedAnswerWithSeveral() {
    String text =
        "{\"items\": [{\"span_index\": 2, \"summary_120w\": \"Something else entirely here.\"},"
            + " {\"span_index\": 1, "
            + SET
            + "}]}";
    SpanOutcome o = parse(text);
    assertThat(((SpanOutcome.Valid) o).enrichment().summary120w()).startsWith("Sets the email");
  }

  @Test
  void reportsTruncatedOutputAsMissing() {
    String full = "{" + SET + "}";
    SpanOutcome o = parse(full.substring(0, 60));
    assertThat(o).isInstanceOf(SpanOutcome.Missing.class);
    assertThat(((SpanOutcome.Missing) o).reason()).startsWith("truncated JSON");
  }

  @Test
  void reportsAnInvalidItemWithItsReason() {
    SpanOutcome o = parse("{\"summary_120w\": \"\", \"inputs\": []}");
    assertThat(o).isEqualTo(new SpanOutcome.Invalid(SET_EMAIL, "summary_120w is empty"));
  }

  @Test
  void neverStoresRawTextAsASummary() {
    SpanOutcome o = parse("This method sets the email of the user after validating it.");
    assertThat(o).isEqualTo(new SpanOutcome.Missing(SET_EMAIL, "no JSON object in the completion"));
  }
}
