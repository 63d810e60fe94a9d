package io.codegloss.worker.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.worker.enrich.JsonExtractor.Failed;
import io.codegloss.worker.enrich.JsonExtractor.Found;
import org.junit.jupiter.api.Test;

class JsonExtractorTest {

  private static Found found(String text, String arrayKey) {
    var x = JsonExtractor.extractObject(text, arrayKey);
    assertThat(x).isInstanceOf(Found.class);
    return (Found) x;
  }

  private static Failed failed(String text, String arrayKey) {
    var x = JsonExtractor.extractObject(text, arrayKey);
    assertThat(x).isInstanceOf(Failed.class);
    return (Failed) x;
  }

  @Test
  void takesCleanJsonAsItIs() {
    Found f = found("{\"summary_120w\": \"Adds.\"}", null);
    assertThat(f.object().get("summary_120w").asText()).isEqualTo("Adds.");
    assertThat(f.note()).isNull();
  }

  @Test
  void takesJsonOutOfACodeFence() {
    Found f = found("```json\n{\"items\": [{\"span_index\": 1}]}\n```", "items");
    assertThat(f.object().get("items").get(0).get("span_index").asInt()).isEqualTo(1);
  }

  @Test
  void takesJsonOutOfProseBeforeAndAfter() {
    String text =
        "Sure! Here is the enrichment you asked for:\n\n"
            + "{\"summary_120w\": \"Sets the email.\", \"inputs\": [\"email\"]}\n\n"
            + "Let me know if you need anything else {or more}.";
    Found f = found(text, null);
    assertThat(f.object().get("inputs").get(0).asText()).isEqualTo("email");
    assertThat(f.note()).isEqualTo("took JSON out of prose");
  }

  @Test
  void keepsBracesAndQuotesInsideStringsAndNestedObjects() {
    String text =
        "{\"summary_120w\": \"Formats {name} as \\\"}\\\" and [x]\", \"evidence\":"
            + " [{\"field\": \"inputs\", \"lines\": [3, 4]}], \"meta\": {\"a\": {\"b\": 1}}}";
    Found f = found(text, null);
    assertThat(f.object().get("summary_120w").asText())
        .isEqualTo("Formats {name} as \"}\" and [x]");
    assertThat(f.object().get("evidence").get(0).get("lines").get(1).asInt()).isEqualTo(4);
    assertThat(f.object().get("meta").get("a").get("b").asInt()).isEqualTo(1);
  }

  @Test
  void skipsAStrayBraceAndABracketedNumberInTheProse() {
    String text =
        "The function { is simple [1]. Answer:\n{\"summary_120w\": \"Returns the email.\"}";
    Found f = found(text, "items");
    assertThat(f.object().get("summary_120w").asText()).isEqualTo("Returns the email.");
  }

  @Test
  void wrapsATopLevelArrayWhenAnObjectWasAskedFor() {
    Found f = found("[{\"span_index\": 2}, {\"span_index\": 1}]", "items");
    assertThat(f.object().get("items").size()).isEqualTo(2);
    assertThat(f.note()).contains("wrapped a top-level array");
  }

  @Test
  void unwrapsAnArrayOfOneObjectForASingleAnswer() {
    Found f = found("[{\"summary_120w\": \"Returns the email.\"}]", null);
    assertThat(f.object().get("summary_120w").asText()).isEqualTo("Returns the email.");
  }

  @Test
  void refusesAnArrayOfSeveralObjectsForASingleAnswer() {
    assertThat(failed("[{\"a\": 1}, {\"a\": 2}]", null).reason())
        .isEqualTo("expected one object, got an array of 2 objects");
  }

  @Test
  void failsOnTruncatedJsonInsteadOfReturningAnInnerObject() {
    String text =
        "{\"items\": [{\"span_index\": 1, \"summary_120w\": \"Gets the email.\"},"
            + " {\"span_index\": 2, \"summary_120w\": \"Sets the em";
    Failed f = failed(text, "items");
    assertThat(f.truncated()).isTrue();
    assertThat(f.reason()).startsWith("truncated JSON");
  }

  @Test
  void failsOnTruncatedJsonInsideAnUnclosedFence() {
    Failed f = failed("```json\n[{\"span_index\": 1}, {\"span_index\": 2, \"summ", "items");
    assertThat(f.truncated()).isTrue();
  }

  @Test
  void failsWhenThereIsNoJsonAtAll() {
    Failed f = failed("I am sorry, I cannot describe this code.", null);
    assertThat(f.reason()).isEqualTo("no JSON object in the completion");
    assertThat(f.truncated()).isFalse();
    assertThat(failed("", null).reason()).isEqualTo("empty completion");
    assertThat(failed("[1, 2, 3]", "items").reason()).isEqualTo("no JSON object in the completion");
  }

  @Test
  void toleratesTrailingCommasCommentsSingleQuotesAndRawNewlinesInStrings() {
    String text =
        "{'summary_120w': 'Sets the email.', // the summary\n"
            + " \"usage_snippet\": \"u = User()\nu.set_email(x)\",\n"
            + " \"inputs\": [\"email\",],}";
    Found f = found(text, null);
    assertThat(f.object().get("usage_snippet").asText()).isEqualTo("u = User()\nu.set_email(x)");
    assertThat(f.object().get("inputs").size()).isEqualTo(1);
  }

  @Test
  void skipsAReasoningBlockThatContainsBraces() {
    String text =
        "<think>maybe {\"summary_120w\": \"wrong\"} is it</think>\n{\"summary_120w\": \"Right.\"}";
    Found f = found(text, null);
    assertThat(f.object().get("summary_120w").asText()).isEqualTo("Right.");
  }

  @Test
  void decodesJsonThatWasReturnedAsOneJsonString() {
    Found f = found("\"{\\\"summary_120w\\\": \\\"Returns the email.\\\"}\"", null);
    assertThat(f.object().get("summary_120w").asText()).isEqualTo("Returns the email.");
    assertThat(f.note()).contains("decoded a JSON string");
  }

  @Test
  void everyCutOfACompleteAnswerIsReportedAsTruncated() {
    String full =
        "{\"items\": [{\"span_index\": 1, \"summary_120w\": \"Gets it.\", \"inputs\": [\"a\"],"
            + " \"usage_snippet\": null, \"evidence\": [{\"field\": \"inputs\", \"lines\": [19, 21]}],"
            + " \"ok\": true, \"n\": -1.5e3}]}";
    for (int cut = 1; cut < full.length(); cut++) {
      var x = JsonExtractor.extractObject(full.substring(0, cut), "items");
      assertThat(x).as("cut at %d: %s", cut, full.substring(0, cut)).isInstanceOf(Failed.class);
      assertThat(((Failed) x).truncated()).as("cut at %d", cut).isTrue();
    }
  }
}
