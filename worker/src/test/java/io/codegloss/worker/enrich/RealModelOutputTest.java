package io.codegloss.worker.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL_FACTS;
import static io.codegloss.core.enrich.EnrichFixtures.USER_FACTS;
import static io.codegloss.core.enrich.EnrichFixtures.USER_SPANS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Completions that Gemma 3 270M (q4_k_m, embedded llama.cpp, grammar from our schemas) really
 * produced for the User fixture. A model this small copies the prompt instead of describing the
 * code; none of it may be stored. (Answers to the version 1 prompt: the placeholders and rules they
 * copy are still in the version 2 prompt, so the defences still have to hold.)
 */
class RealModelOutputTest {

  private static String output(String name) throws IOException {
    try (InputStream in = RealModelOutputTest.class.getResourceAsStream("/model-outputs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void rejectsASingleAnswerThatCopiesThePromptExample() throws IOException {
    SpanOutcome o =
        SingleParser.parse(
            output("gemma270m-single-copies-example.txt"), SET_EMAIL, SET_EMAIL_FACTS);
    assertThat(o)
        .isEqualTo(new SpanOutcome.Invalid(SET_EMAIL, "summary_120w copies the prompt's example"));
  }

  @Test
  void rejectsEveryItemOfABatchThatCopiesThePromptExample() throws IOException {
    BatchParseResult r =
        BatchParser.parse(output("gemma270m-batch-copies-example.txt"), USER_SPANS, USER_FACTS);
    assertEveryItemCopiesTheExample(r);
    assertThat(r.callOutcome()).isEqualTo("invalid");
  }

  @Test
  void rejectsASingleAnswerThatEchoesTheRulesAndLoops() throws IOException {
    SpanOutcome o =
        SingleParser.parse(
            output("gemma270m-single-echoes-rules-and-loops.txt"), SET_EMAIL, SET_EMAIL_FACTS);
    assertThat(o)
        .isEqualTo(
            new SpanOutcome.Invalid(SET_EMAIL, "summary_120w echoes the prompt ('120 words')"));
  }

  @Test
  void failsEverySpanOfABatchThatLoopedUntilTheOutputCap() throws IOException {
    BatchParseResult r =
        BatchParser.parse(output("gemma270m-batch-loops-until-cut.txt"), USER_SPANS, USER_FACTS);
    assertThat(r.outcomes()).allMatch(SpanOutcome.Missing.class::isInstance);
    assertThat(r.failure()).startsWith("truncated JSON");
  }

  @Test
  void rejectsEveryItemOfAProseBatchThatCopiesTheExampleEvenWithADigitChanged() throws IOException {
    // Prompt version 2 through llama-cpp-python: span 3's summary says "1 to 5" for "1 to 4".
    BatchParseResult r =
        BatchParser.parse(output("gemma270m-v2-batch-copies-example.txt"), USER_SPANS, USER_FACTS);
    assertEveryItemCopiesTheExample(r);
  }

  private static void assertEveryItemCopiesTheExample(BatchParseResult r) {
    assertThat(r.items()).isEqualTo(3);
    assertThat(r.outcomes())
        .allSatisfy(
            o ->
                assertThat(o)
                    .isEqualTo(
                        new SpanOutcome.Invalid(
                            o.span(), "summary_120w copies the prompt's example")));
  }
}
