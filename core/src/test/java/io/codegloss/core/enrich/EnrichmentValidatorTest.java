package io.codegloss.core.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.USER_RESOLVER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EnrichmentValidatorTest {

  private final ObjectMapper mapper = new ObjectMapper();

  private ObjectNode good() throws Exception {
    return (ObjectNode) mapper.readTree(EnrichFixtures.setEmailItem());
  }

  private ValidationOutcome validate(Consumer<ObjectNode> change) throws Exception {
    ObjectNode item = good();
    change.accept(item);
    return EnrichmentValidator.validate(item, SET_EMAIL, USER_RESOLVER);
  }

  private ValidationOutcome.Valid valid(Consumer<ObjectNode> change) throws Exception {
    ValidationOutcome o = validate(change);
    assertThat(o).isInstanceOf(ValidationOutcome.Valid.class);
    return (ValidationOutcome.Valid) o;
  }

  private String invalid(Consumer<ObjectNode> change) throws Exception {
    ValidationOutcome o = validate(change);
    assertThat(o).isInstanceOf(ValidationOutcome.Invalid.class);
    return ((ValidationOutcome.Invalid) o).reason();
  }

  private static String words(int sentences, int wordsEach, boolean period) {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < sentences; s++) {
      for (int w = 0; w < wordsEach; w++) {
        b.append(w == 0 ? "Sets" : "word").append(' ');
      }
      b.setLength(b.length() - 1);
      b.append(period ? ". " : " ");
    }
    return b.toString().strip();
  }

  @Test
  void keepsEveryFieldOfAWellFormedItem() throws Exception {
    ValidationOutcome.Valid v = valid(i -> {});
    Enrichment e = v.enrichment();
    assertThat(e.summary120w()).startsWith("Sets the user's email");
    assertThat(e.inputs()).containsExactly("email: str");
    assertThat(e.outputs()).isEmpty();
    assertThat(e.sideEffects()).containsExactly("overwrites self._email");
    assertThat(e.pitfalls()).containsExactly("validation is only an @ check");
    assertThat(e.usageSnippet()).isEqualTo("user.set_email('a@b.c')");
    assertThat(e.evidence())
        .containsExactly(new Evidence("summary_120w", 13, 16), new Evidence("pitfalls", 14, 15));
    assertThat(e.relatedSpans()).containsExactly("validate_email", "get_email");
    assertThat(v.droppedRelated()).isZero();
    assertThat(v.notes()).isEmpty();
  }

  @Test
  void rejectsAnEmptySummary() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", "   "))).isEqualTo("summary_120w is empty");
  }

  @Test
  void rejectsAnItemWithoutASummary() throws Exception {
    assertThat(invalid(i -> i.remove("summary_120w"))).isEqualTo("no summary_120w");
  }

  @Test
  void rejectsASummaryOfTheWrongType() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", 42)))
        .isEqualTo("summary_120w is a number, not a string");
    assertThat(invalid(i -> i.putArray("summary_120w").add("Sets the email.")))
        .isEqualTo("summary_120w is an array, not a string");
  }

  @Test
  void rejectsAOneWordSummary() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", "Setter."))).contains("only 1 word");
  }

  @Test
  void trimsA200WordSummaryToItsLastFullSentenceWithin120Words() throws Exception {
    String summary = words(20, 10, true); // 200 words in sentences of 10
    ValidationOutcome.Valid v = valid(i -> i.put("summary_120w", summary));
    assertThat(EnrichmentValidator.wordCount(v.enrichment().summary120w())).isEqualTo(120);
    assertThat(v.enrichment().summary120w()).endsWith(".");
    assertThat(v.notes())
        .containsExactly("summary trimmed from 200 to 120 words at a sentence end");
  }

  @Test
  void trimsAtTheSentenceEndBeforeTheCapNotAtTheCap() throws Exception {
    // 7 sentences of 17 words = 119 words, then one more sentence of 17: the 8th crosses 120.
    String summary = words(8, 17, true);
    ValidationOutcome.Valid v = valid(i -> i.put("summary_120w", summary));
    assertThat(EnrichmentValidator.wordCount(v.enrichment().summary120w())).isEqualTo(119);
  }

  @Test
  void keepsASummaryOfExactly120Words() throws Exception {
    String summary = words(12, 10, true);
    ValidationOutcome.Valid v = valid(i -> i.put("summary_120w", summary));
    assertThat(v.enrichment().summary120w()).isEqualTo(summary);
    assertThat(v.notes()).isEmpty();
  }

  @Test
  void rejectsAnOverlongSummaryThatHasNoSentenceEndToTrimAt() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", words(1, 200, false))))
        .contains("200 words")
        .contains("no sentence end to trim at");
  }

  @Test
  void rejectsASummaryThatIsTheCodeItself() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", SET_EMAIL.code())))
        .isEqualTo("summary_120w is a copy of the code");
  }

  @Test
  void rejectsASummaryThatIsJustTheSignature() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", "def set_email(self, email):")))
        .isEqualTo("summary_120w is just the signature");
  }

  @Test
  void rejectsASummaryThatEchoesTheLineNumberedCode() throws Exception {
    assertThat(
            invalid(
                i ->
                    i.put(
                        "summary_120w",
                        "13| def set_email(self, email):\n14|     if not self.validate_email(email):")))
        .isEqualTo("summary_120w echoes the line-numbered code");
  }

  @Test
  void rejectsASummaryThatEchoesThePrompt() throws Exception {
    assertThat(
            invalid(
                i ->
                    i.put(
                        "summary_120w",
                        "=== SPAN 2: app/user.py:13-16 (method User.set_email) === Describe it.")))
        .isEqualTo("summary_120w echoes the prompt ('=== span')");
    assertThat(invalid(i -> i.put("summary_120w", "Fill in summary_120w with the code meaning.")))
        .contains("echoes the prompt");
  }

  @Test
  void rejectsTheExampleSummaryCopiedFromThePrompt() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", EnrichmentExample.SUMMARY)))
        .isEqualTo("summary_120w copies the prompt's example");
  }

  @Test
  void acceptsAProseSummaryThatNamesIdentifiersFromTheCode() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.put(
                    "summary_120w",
                    "Calls validate_email(email) and raises ValueError(\"bad email\") when it fails;"
                        + " otherwise stores the address in self._email."));
    assertThat(v.enrichment().summary120w()).startsWith("Calls validate_email(email)");
  }

  @Test
  void dropsEvidenceOutsideTheSpanAndKeepsTheRest() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              var ev = i.putArray("evidence");
              ev.addObject().put("field", "summary_120w").putArray("lines").add(13).add(16);
              ev.addObject().put("field", "inputs").putArray("lines").add(1).add(3);
              ev.addObject().put("field", "pitfalls").putArray("lines").add(15).add(40);
            });
    assertThat(v.enrichment().evidence()).containsExactly(new Evidence("summary_120w", 13, 16));
    assertThat(v.notes()).containsExactly("dropped 2 evidence item(s) outside lines 13-16");
  }

  @Test
  void dropsMalformedEvidenceButKeepsTheItem() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              var ev = i.putArray("evidence");
              ev.addObject().put("field", "summary_120w").put("lines", "13-16");
              ev.addObject().put("field", "summary_120w").putArray("lines").add(16).add(13);
              ev.addObject().put("field", "summary").putArray("lines").add(13).add(14);
              ev.addObject().put("field", "inputs").putArray("lines").add(13).add(13);
              ev.add("line 14");
            });
    assertThat(v.enrichment().evidence()).containsExactly(new Evidence("inputs", 13, 13));
    assertThat(v.notes()).containsExactly("dropped 4 malformed evidence item(s)");
  }

  @Test
  void dropsUnknownRelatedNamesAndCountsThem() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.putArray("related_spans")
                    .add("validate_email")
                    .add("send_welcome_mail")
                    .add("Database.save"));
    assertThat(v.enrichment().relatedSpans()).containsExactly("validate_email");
    assertThat(v.droppedRelated()).isEqualTo(2);
    assertThat(v.notes())
        .containsExactly(
            "dropped 2 related name(s) not in the index: send_welcome_mail, Database.save");
  }

  @Test
  void dropsASelfReferenceAndCountsIt() throws Exception {
    ValidationOutcome.Valid v =
        valid(i -> i.putArray("related_spans").add("set_email").add("User.validate_email"));
    assertThat(v.enrichment().relatedSpans()).containsExactly("User.validate_email");
    assertThat(v.droppedRelated()).isEqualTo(1);
    assertThat(v.notes()).containsExactly("dropped a related name that is the span itself");
  }

  @Test
  void cleansCallSyntaxAndReceiversFromRelatedNamesBeforeResolving() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.putArray("related_spans")
                    .add("self.validate_email(email)")
                    .add("`get_email`")
                    .add("User::validate_email"));
    // The third names the same span as the first: kept once, not counted as dropped.
    assertThat(v.enrichment().relatedSpans()).containsExactly("validate_email", "get_email");
    assertThat(v.droppedRelated()).isZero();
    ValidationOutcome.Valid rust = valid(i -> i.putArray("related_spans").add("User::get_email"));
    assertThat(rust.enrichment().relatedSpans())
        .as("stored in the spelling that resolved")
        .containsExactly("User.get_email");
  }

  @Test
  void dropsANameTheResolverFindsAmbiguous() throws Exception {
    RelatedResolver resolver =
        name -> name.equals("save") ? OptionalLong.empty() : USER_RESOLVER.resolve(name);
    ObjectNode item = good();
    item.putArray("related_spans").add("save").add("get_email");
    var v = (ValidationOutcome.Valid) EnrichmentValidator.validate(item, SET_EMAIL, resolver);
    assertThat(v.enrichment().relatedSpans()).containsExactly("get_email");
    assertThat(v.droppedRelated()).isEqualTo(1);
  }

  @Test
  void rejectsAListFieldGivenAsAString() throws Exception {
    assertThat(invalid(i -> i.put("inputs", "email: str")))
        .startsWith("schema: ")
        .contains("inputs");
  }

  @Test
  void rejectsNonStringEntriesInAList() throws Exception {
    assertThat(invalid(i -> i.putArray("pitfalls").add(3).add("ok"))).contains("pitfalls");
  }

  @Test
  void rejectsAnOverlongListEntry() throws Exception {
    assertThat(invalid(i -> i.putArray("pitfalls").add("x".repeat(201)))).contains("pitfalls");
  }

  @Test
  void rejectsAUsageSnippetThatIsNotAStringOrNull() throws Exception {
    assertThat(invalid(i -> i.putArray("usage_snippet").add("x()"))).contains("usage_snippet");
  }

  @Test
  void fillsMissingListsAndUsageAndSaysSo() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.remove("side_effects");
              i.remove("usage_snippet");
              i.putNull("evidence");
            });
    assertThat(v.enrichment().sideEffects()).isEmpty();
    assertThat(v.enrichment().evidence()).isEmpty();
    assertThat(v.enrichment().usageSnippet()).isNull();
    assertThat(v.notes())
        .containsExactly("filled missing fields: side_effects, usage_snippet, evidence");
  }

  @Test
  void ignoresUnknownKeysAndTheSpanIndex() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.put("span_index", 2);
              i.put("name", "set_email");
              i.put("complexity", "low");
            });
    assertThat(v.notes()).containsExactly("ignored unknown keys: name, complexity");
  }

  @Test
  void dropsPlaceholdersAndEmptyEntriesCopiedIntoLists() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.putArray("inputs").add("parameter: what it is").add("email: str");
              i.putArray("side_effects").add("None").add("  ");
              i.put("usage_snippet", "one line of code that calls it");
            });
    assertThat(v.enrichment().inputs()).containsExactly("email: str");
    assertThat(v.enrichment().sideEffects()).isEmpty();
    assertThat(v.enrichment().usageSnippet()).isNull();
    assertThat(v.notes())
        .containsExactly("dropped 1 inputs entry copied from the prompt's example");
  }

  @Test
  void cutsAListLongerThanItsCapToItsFirstEntries() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              var p = i.putArray("pitfalls");
              for (int k = 1; k <= 9; k++) {
                p.add("pitfall " + k);
              }
            });
    assertThat(v.enrichment().pitfalls()).hasSize(6).startsWith("pitfall 1").endsWith("pitfall 6");
    assertThat(v.notes()).containsExactly("pitfalls cut from 9 to 6 entries");
  }

  @Test
  void rejectsAnItemThatIsNotAnObject() {
    var o = EnrichmentValidator.validate(mapper.createArrayNode(), SET_EMAIL, USER_RESOLVER);
    assertThat(o).isEqualTo(new ValidationOutcome.Invalid("item is an array, not a JSON object"));
  }

  @Test
  void aValidatedEnrichmentValidatesAgainUnchanged() throws Exception {
    Enrichment first = valid(i -> {}).enrichment();
    var again =
        EnrichmentValidator.validate(EnrichmentJson.toNode(first), SET_EMAIL, USER_RESOLVER);
    assertThat(again).isEqualTo(new ValidationOutcome.Valid(first, 0, List.of()));
  }

  @Test
  void aResolverThatKnowsNothingDropsEveryRelatedName() throws Exception {
    ObjectNode item = good();
    var v =
        (ValidationOutcome.Valid)
            EnrichmentValidator.validate(item, SET_EMAIL, RelatedResolver.of(Map.of()));
    assertThat(v.enrichment().relatedSpans()).isEmpty();
    assertThat(v.droppedRelated()).isEqualTo(2);
  }

  @Test
  void rejectsASummaryCopiedFromThePromptInstructions() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", "what the code does and why")))
        .isEqualTo("summary_120w copies the prompt's instructions");
    assertThat(invalid(i -> i.put("summary_120w", "What it does, in your own words.")))
        .contains("echoes the prompt");
  }

  @Test
  void dropsEntriesASmallModelRepeatsUntilTheListIsFull() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.putArray("inputs")
                    .add("email: str")
                    .add("email: str")
                    .add("Email: str")
                    .add("self"));
    assertThat(v.enrichment().inputs()).containsExactly("email: str", "self");
    assertThat(v.notes()).containsExactly("dropped 2 repeated inputs entries");
  }

  @Test
  void rejectsAnItemWhoseListsAreCopiesOfEachOther() throws Exception {
    assertThat(
            invalid(
                i -> {
                  for (String f : List.of("inputs", "outputs", "side_effects", "pitfalls")) {
                    i.putArray(f).add("app/user.py").add("user.set_email");
                  }
                }))
        .isEqualTo("inputs, outputs, side_effects, pitfalls repeat the same entries");
  }
}
