package io.codegloss.core.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  public static final String RULE_SUMMARY =
      "at most " + EnrichmentSchema.MAX_SUMMARY_WORDS + " words of plain sentences, not code.";

  public static final String RULE_RELATED =
      "names of other functions or classes it calls, is called by, or works with.";

  public static final String RULE_EMPTY =
      "Use [] when a list has nothing and null when there is no usage_snippet.";

  /**
   * Every fixed sentence of the prompts. A summary found inside one of them was copied from the
   * prompt, not written about the code.
   */
  public static final List<String> INSTRUCTIONS =
      List.of(SUMMARY, SYSTEM, BATCH_RELATION, RULE_SUMMARY, RULE_RELATED, RULE_EMPTY);

  /** Placeholder text per field; list fields have one placeholder entry each. */
  public static final Map<String, String> PLACEHOLDERS = placeholders();

  private EnrichmentExample() {}

  private static Map<String, String> placeholders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(EnrichmentSchema.SUMMARY, SUMMARY);
    m.put(EnrichmentSchema.INPUTS, "parameter: what it is");
    m.put(EnrichmentSchema.OUTPUTS, "what it returns");
    m.put(EnrichmentSchema.SIDE_EFFECTS, "what it changes outside itself");
    m.put(EnrichmentSchema.PITFALLS, "what can go wrong");
    m.put(EnrichmentSchema.USAGE_SNIPPET, "one line of code that calls it");
    m.put(EnrichmentSchema.RELATED_SPANS, "name of a function it calls");
    return Map.copyOf(m);
  }

  /**
   * True when {@code text} (at least one word) appears inside one of the prompt's fixed sentences
   * or placeholders, ignoring case, spacing and end punctuation.
   */
  public static boolean copiesInstructions(String text) {
    String t = squash(text).replaceAll("[.!?,;:]+$", "").strip();
    if (t.isEmpty()) {
      return false;
    }
    for (String s : INSTRUCTIONS) {
      if (squash(s).contains(t)) {
        return true;
      }
    }
    for (String s : PLACEHOLDERS.values()) {
      if (squash(s).contains(t)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code value} is the placeholder of {@code field} (ignoring case and spacing). */
  public static boolean isPlaceholder(String field, String value) {
    String p = PLACEHOLDERS.get(field);
    return p != null && squash(p).equals(squash(value));
  }

  static String squash(String s) {
    return s.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The example item as compact JSON, with evidence pointing at {@code startLine..endLine} so that
   * the example teaches absolute line numbers.
   */
  public static ObjectNode item(int startLine, int endLine) {
    ObjectNode n = EnrichmentSchema.MAPPER.createObjectNode();
    n.put(EnrichmentSchema.SUMMARY, SUMMARY);
    n.putArray(EnrichmentSchema.INPUTS).add(PLACEHOLDERS.get(EnrichmentSchema.INPUTS));
    n.putArray(EnrichmentSchema.OUTPUTS).add(PLACEHOLDERS.get(EnrichmentSchema.OUTPUTS));
    n.putArray(EnrichmentSchema.SIDE_EFFECTS);
    n.putArray(EnrichmentSchema.PITFALLS).add(PLACEHOLDERS.get(EnrichmentSchema.PITFALLS));
    n.put(EnrichmentSchema.USAGE_SNIPPET, PLACEHOLDERS.get(EnrichmentSchema.USAGE_SNIPPET));
    ObjectNode ev = n.putArray(EnrichmentSchema.EVIDENCE).addObject();
    ev.put("field", EnrichmentSchema.SUMMARY);
    ev.putArray("lines").add(startLine).add(endLine);
    n.putArray(EnrichmentSchema.RELATED_SPANS)
        .add(PLACEHOLDERS.get(EnrichmentSchema.RELATED_SPANS));
    return n;
  }

  /** The example item with {@code span_index} first, for batch prompts. */
  public static ObjectNode batchItem(int spanIndex, int startLine, int endLine) {
    ObjectNode n = EnrichmentSchema.MAPPER.createObjectNode();
    n.put(EnrichmentSchema.SPAN_INDEX, spanIndex);
    n.setAll(item(startLine, endLine));
    return n;
  }
}
