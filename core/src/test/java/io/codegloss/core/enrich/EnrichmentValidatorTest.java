package io.codegloss.core.enrich;

import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL;
import static io.codegloss.core.enrich.EnrichFixtures.SET_EMAIL_FACTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EnrichmentValidatorTest {

  private final ObjectMapper mapper = new ObjectMapper();

  private ObjectNode good() throws Exception {
    return (ObjectNode) mapper.readTree(EnrichFixtures.setEmailItem());
  }

  private ValidationOutcome validate(Consumer<ObjectNode> change) throws Exception {
    return validate(change, SET_EMAIL_FACTS);
  }

  private ValidationOutcome validate(Consumer<ObjectNode> change, SpanFacts facts)
      throws Exception {
    ObjectNode item = good();
    change.accept(item);
    return EnrichmentValidator.validate(item, SET_EMAIL, facts);
  }

  private ValidationOutcome.Valid valid(Consumer<ObjectNode> change, SpanFacts facts)
      throws Exception {
    ValidationOutcome o = validate(change, facts);
    assertThat(o).isInstanceOf(ValidationOutcome.Valid.class);
    return (ValidationOutcome.Valid) o;
  }

  private static SpanFacts facts(
      List<SpanFacts.Param> params,
      String returnType,
      List<Integer> returnLines,
      String docstring,
      List<SpanFacts.SideEffect> effects) {
    return new SpanFacts(
        null, params, returnType, returnLines, List.of(), docstring, null, List.of(), effects);
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
    assertThat(e.inputs()).containsExactly("email: the new address, checked before it is stored");
    assertThat(e.outputs()).isEmpty();
    assertThat(e.sideEffects()).containsExactly("self._email: overwritten with the new address");
    assertThat(e.pitfalls()).containsExactly("validation is only an @ check");
    assertThat(e.usageSnippet()).as("analysis supplies usage, not the model").isNull();
    assertThat(e.evidence()).isEmpty();
    assertThat(e.relatedSpans()).isEmpty();
    assertThat(v.droppedNames()).isZero();
    assertThat(v.summaryIsDocstring()).isFalse();
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
  void rejectsASummaryThatEchoesTheFactsLines() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", "params: email returns: nothing calls: x")))
        .isEqualTo("summary_120w echoes the prompt ('params:')");
  }

  @Test
  void rejectsTheExampleSummaryCopiedFromThePrompt() throws Exception {
    assertThat(invalid(i -> i.put("summary_120w", EnrichmentExample.SUMMARY)))
        .isEqualTo("summary_120w copies the prompt's example");
    // Gemma 3 270M through llama-cpp-python, prompt version 2: the example with one digit changed.
    assertThat(
            invalid(
                i ->
                    i.put(
                        "summary_120w", "What the code does and why, in 1 to 5 plain sentences.")))
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
    assertThat(invalid(i -> i.putArray("pitfalls").add("x".repeat(161)))).contains("pitfalls");
  }

  @Test
  void fillsMissingListsAndSaysSo() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.remove("side_effects");
              i.putNull("pitfalls");
            });
    assertThat(v.enrichment().sideEffects()).isEmpty();
    assertThat(v.enrichment().pitfalls()).isEmpty();
    assertThat(v.notes()).containsExactly("filled missing fields: pitfalls, side_effects");
  }

  @Test
  void ignoresUnknownKeysTheOldPromptsFieldsAndTheSpanIndex() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.put("span_index", 2);
              i.put("usage_snippet", "user.set_email('a@b.c')");
              i.putArray("related_spans").add("validate_email");
              i.putArray("evidence");
              i.put("complexity", "low");
            });
    assertThat(v.enrichment().usageSnippet()).isNull();
    assertThat(v.enrichment().relatedSpans()).isEmpty();
    assertThat(v.notes())
        .containsExactly(
            "ignored unknown keys: usage_snippet, related_spans, evidence, complexity");
  }

  @Test
  void dropsPlaceholdersAndEmptyEntriesCopiedIntoLists() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.putArray("inputs")
                  .add("email: " + EnrichmentExample.INPUT_MEANING)
                  .add("email: the new address");
              i.putArray("side_effects").add("None").add("  ");
              i.putArray("pitfalls").add("what can go wrong").add("only an @ check");
            });
    assertThat(v.enrichment().inputs()).containsExactly("email: the new address");
    assertThat(v.enrichment().sideEffects()).isEmpty();
    assertThat(v.enrichment().pitfalls()).containsExactly("only an @ check");
    assertThat(v.notes())
        .containsExactly(
            "dropped 1 pitfalls entry copied from the prompt's example",
            "dropped 1 inputs entry copied from the prompt's example");
  }

  @Test
  void dropsInputsThatNameNoParameterAndCountsThem() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.putArray("inputs")
                    .add("self: the user")
                    .add("`email`: the new address")
                    .add("password: the secret")
                    .add("the address to store"));
    assertThat(v.enrichment().inputs()).containsExactly("`email`: the new address");
    assertThat(v.droppedNames()).isEqualTo(3);
    assertThat(v.notes())
        .containsExactly(
            "dropped 3 inputs entry(ies) naming no parameter: self, password,"
                + " the address to store");
  }

  @Test
  void dropsSideEffectsThatAreNotAmongTheCandidates() throws Exception {
    ValidationOutcome.Valid v =
        valid(
            i ->
                i.putArray("side_effects")
                    .add("self._email: overwritten")
                    .add("database: saves the user")
                    .add("sends a welcome mail"));
    assertThat(v.enrichment().sideEffects()).containsExactly("self._email: overwritten");
    assertThat(v.droppedNames()).isEqualTo(2);
    assertThat(v.notes())
        .containsExactly(
            "dropped 2 side_effects entry(ies) naming no side-effect candidate: database,"
                + " sends a welcome mail");
  }

  @Test
  void aSideEffectDetailMayHoldDotsAndColons() throws Exception {
    SpanFacts f =
        facts(
            List.of(),
            null,
            List.of(),
            null,
            List.of(
                new SpanFacts.SideEffect(SideEffectKind.ENVIRONMENT, "os.environ", 14),
                new SpanFacts.SideEffect(SideEffectKind.CONSOLE, "std::cout", 15)));
    ValidationOutcome.Valid v =
        valid(
            i -> {
              i.putArray("inputs");
              i.putArray("side_effects")
                  .add("os.environ: reads HOME")
                  .add("std::cout: prints the address")
                  .add("os: imported");
            },
            f);
    assertThat(v.enrichment().sideEffects())
        .containsExactly("os.environ: reads HOME", "std::cout: prints the address");
    assertThat(v.droppedNames()).isEqualTo(1);
  }

  @Test
  void dropsAnOutputWhenTheFactsShowNoReturnValue() throws Exception {
    ValidationOutcome.Valid v = valid(i -> i.putArray("outputs").add("the stored address"));
    assertThat(v.enrichment().outputs()).isEmpty();
    assertThat(v.droppedNames()).isEqualTo(1);
    assertThat(v.notes())
        .containsExactly("dropped 1 outputs entry(ies): the facts show no return value");
  }

  @Test
  void keepsAnOutputWhenTheFactsShowAReturnTypeOrAReturnStatement() throws Exception {
    var email = List.of(new SpanFacts.Param("email", "str", null));
    for (SpanFacts f :
        List.of(
            facts(email, "bool", List.of(), null, List.of()),
            facts(email, null, List.of(16), null, List.of()))) {
      ValidationOutcome.Valid v =
          valid(
              i -> {
                i.putArray("outputs").add("True when the address is accepted");
                i.putArray("side_effects");
              },
              f);
      assertThat(v.enrichment().outputs()).containsExactly("True when the address is accepted");
      assertThat(v.droppedNames()).isZero();
    }
    ValidationOutcome.Valid none =
        valid(
            i -> {
              i.putArray("outputs").add("nothing useful");
              i.putArray("side_effects");
            },
            facts(email, "None", List.of(16), null, List.of()));
    assertThat(none.enrichment().outputs()).as("a declared None is no value").isEmpty();
  }

  @Test
  void withoutFactsTheMeaningsAreKeptUnchecked() throws Exception {
    ObjectNode item = good();
    item.putArray("inputs").add("password: the secret");
    item.putArray("outputs").add("the stored address");
    var v = (ValidationOutcome.Valid) EnrichmentValidator.validate(item, SET_EMAIL, null);
    assertThat(v.enrichment().inputs()).containsExactly("password: the secret");
    assertThat(v.enrichment().outputs()).containsExactly("the stored address");
    assertThat(v.droppedNames()).isZero();
    assertThat(v.summaryIsDocstring()).isFalse();
  }

  @Test
  void flagsASummaryThatIsTheSpansOwnDocstring() throws Exception {
    SpanFacts documented =
        facts(
            SET_EMAIL_FACTS.params(),
            null,
            List.of(),
            "Sets the user's   email\n after  checking it.",
            SET_EMAIL_FACTS.sideEffects());
    ValidationOutcome.Valid same =
        valid(i -> i.put("summary_120w", "sets the user's email after checking it."), documented);
    assertThat(same.summaryIsDocstring()).isTrue();
    ValidationOutcome.Valid other = valid(i -> {}, documented);
    assertThat(other.summaryIsDocstring()).isFalse();
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
    assertThat(v.enrichment().pitfalls()).hasSize(3).startsWith("pitfall 1").endsWith("pitfall 3");
    assertThat(v.notes()).containsExactly("pitfalls cut from 9 to 3 entries");
  }

  @Test
  void rejectsAnItemThatIsNotAnObject() {
    var o = EnrichmentValidator.validate(mapper.createArrayNode(), SET_EMAIL, SET_EMAIL_FACTS);
    assertThat(o).isEqualTo(new ValidationOutcome.Invalid("item is an array, not a JSON object"));
  }

  @Test
  void aValidatedEnrichmentValidatesAgainUnchanged() throws Exception {
    Enrichment first = valid(i -> {}).enrichment();
    ObjectNode prose = EnrichmentJson.toNode(first);
    prose.remove(List.of("usage_snippet", "evidence", "related_spans"));
    var again = EnrichmentValidator.validate(prose, SET_EMAIL, SET_EMAIL_FACTS);
    assertThat(again).isEqualTo(new ValidationOutcome.Valid(first, 0, false, List.of()));
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
                i.putArray("pitfalls")
                    .add("only an @ check")
                    .add("only an @ check")
                    .add("Only an @  check")
                    .add("no length limit"));
    assertThat(v.enrichment().pitfalls()).containsExactly("only an @ check", "no length limit");
    assertThat(v.notes()).containsExactly("dropped 2 repeated pitfalls entries");
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
        .as("outputs is cut to its one entry first, the other three still loop")
        .isEqualTo("inputs, side_effects, pitfalls repeat the same entries");
  }
}
