package io.codegloss.core.enrich;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.facts.SpanFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tiny example item shown in every prompt. Its values describe what each field should hold
 * instead of showing a real function: small models copy examples verbatim, and a copied placeholder
 * is easy to recognise ({@link EnrichmentValidator} rejects a copied summary and drops copied list
 * entries), whereas a copied realistic example would pass as a plausible note.
 */
public final class EnrichmentExample {

  public static final String SUMMARY = "What the code does and why, in 1 to 4 plain sentences.";

  /** The system message of every prompt. */
  public static final String SYSTEM =
      "You write short, factual notes about source code for other programmers."
          + " Reply with JSON only, no other text.";

  /** What a batch prompt asks about the spans' relations. */
  public static final String BATCH_RELATION =
      "For each span say what it does and how it relates to the other spans:"
          + " who calls whom, what data they share, the pattern they form.";

  /** What a prompt says about the facts shown above each span's code. */
  public static final String FACTS_INTRO =
      "Analysis already listed each span's facts above its code; explain them, do not repeat them.";

  public static final String RULE_SUMMARY =
      "at most " + EnrichmentSchema.MAX_SUMMARY_WORDS + " words of plain sentences, not code.";

  public static final String RULE_MEANINGS =
      "inputs, outputs, side_effects: only for the params, return value and side effects listed"
          + " in the facts, written like the example; nothing that is not listed.";

  public static final String RULE_EMPTY = "Use [] when a list has nothing.";

  /** The meaning placeholders of the example: {@code name: what it means}. */
  public static final String INPUT_MEANING = "what it means";

  public static final String OUTPUT_MEANING = "what the returned value means";

  public static final String EFFECT_MEANING = "why it happens";

  /**
   * Every fixed sentence of the prompts. A summary found inside one of them was copied from the
   * prompt, not written about the code.
   */
  public static final List<String> INSTRUCTIONS =
      List.of(
          SUMMARY, SYSTEM, BATCH_RELATION, FACTS_INTRO, RULE_SUMMARY, RULE_MEANINGS, RULE_EMPTY);

  /** Placeholder text per field; list fields have one placeholder entry each. */
  public static final Map<String, String> PLACEHOLDERS = placeholders();

  private EnrichmentExample() {}

  private static Map<String, String> placeholders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(EnrichmentSchema.SUMMARY, SUMMARY);
    m.put(EnrichmentSchema.PITFALLS, "what can go wrong");
    m.put(EnrichmentSchema.INPUTS, INPUT_MEANING);
    m.put(EnrichmentSchema.OUTPUTS, OUTPUT_MEANING);
    m.put(EnrichmentSchema.SIDE_EFFECTS, EFFECT_MEANING);
    return Map.copyOf(m);
  }

  /**
   * True when {@code text} (at least one word) appears inside one of the prompt's fixed sentences
   * or placeholders, ignoring case, spacing and end punctuation.
   */
  public static boolean copiesInstructions(String text) {
    String t = loose(text).replaceAll("[.!?,;:]+$", "").strip();
    if (t.isEmpty()) {
      return false;
    }
    for (String s : INSTRUCTIONS) {
      if (loose(s).contains(t)) {
        return true;
      }
    }
    for (String s : PLACEHOLDERS.values()) {
      if (loose(s).contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code value} is the placeholder of {@code field} (ignoring case and spacing), or,
   * for a meaning written as {@code name: meaning}, when the meaning is the placeholder's.
   */
  public static boolean isPlaceholder(String field, String value) {
    String p = PLACEHOLDERS.get(field);
    if (p == null) {
      return false;
    }
    String v = loose(value);
    if (loose(p).equals(v)) {
      return true;
    }
    int colon = v.indexOf(':');
    return colon >= 0 && squash(v.substring(colon + 1)).replaceAll("[.]+$", "").equals(loose(p));
  }

  static String squash(String s) {
    return s.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Squashed, with every number written as {@code #}: Gemma 3 270M copied the example summary with
   * "1 to 5" for "1 to 4" through the real server, which must still count as a copy.
   */
  static String loose(String s) {
    return squash(s).replaceAll("[0-9]+", "#");
  }

  /**
   * The example item for a span with these facts, as compact JSON: the placeholders, with one
   * {@code name: what it means} per parameter and side effect the facts list, an output only when
   * they show a return value. Without facts the meaning lists are empty.
   */
  public static ObjectNode item(@Nullable SpanFacts facts) {
    ObjectNode n = EnrichmentSchema.MAPPER.createObjectNode();
    n.put(EnrichmentSchema.SUMMARY, SUMMARY);
    n.putArray(EnrichmentSchema.PITFALLS).add(PLACEHOLDERS.get(EnrichmentSchema.PITFALLS));
    ArrayNode inputs = n.putArray(EnrichmentSchema.INPUTS);
    ArrayNode outputs = n.putArray(EnrichmentSchema.OUTPUTS);
    ArrayNode effects = n.putArray(EnrichmentSchema.SIDE_EFFECTS);
    if (facts != null) {
      FactNames.params(facts).stream()
          .limit(EnrichmentSchema.maxItems(EnrichmentSchema.INPUTS))
          .forEach(p -> inputs.add(p + ": " + INPUT_MEANING));
      if (FactNames.returnsValue(facts)) {
        outputs.add(OUTPUT_MEANING);
      }
      FactNames.sideEffects(facts).stream()
          .limit(EnrichmentSchema.maxItems(EnrichmentSchema.SIDE_EFFECTS))
          .forEach(d -> effects.add(d + ": " + EFFECT_MEANING));
    }
    return n;
  }

  /** The example item with {@code span_index} first, for batch prompts. */
  public static ObjectNode batchItem(int spanIndex, @Nullable SpanFacts facts) {
    ObjectNode n = EnrichmentSchema.MAPPER.createObjectNode();
    n.put(EnrichmentSchema.SPAN_INDEX, spanIndex);
    n.setAll(item(facts));
    return n;
  }
}
