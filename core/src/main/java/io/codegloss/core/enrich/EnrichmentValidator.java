package io.codegloss.core.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.codegloss.core.span.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates one model-written item against the enrichment schema and against the span it describes.
 * Every path (single, batch, every backend) goes through here before anything is stored.
 *
 * <p>Decisions, so that a small model's near-misses are kept where that is safe and rejected where
 * storing them would mislead:
 *
 * <ul>
 *   <li>Invalid: not an object; no summary; a summary that is not a string, is empty, has fewer
 *       than {@value #MIN_SUMMARY_WORDS} words, copies the prompt's example, echoes the prompt or
 *       the code; a list field of the wrong type or with entries that are not strings or too long;
 *       any other schema violation.
 *   <li>Trimmed, with a note: a summary over {@value EnrichmentSchema#MAX_SUMMARY_WORDS} words (or
 *       over the schema's character cap) is cut back to its last full sentence within the cap; if
 *       it has no sentence end within the cap the item is invalid. Lists longer than their maxItems
 *       keep their first entries.
 *   <li>Dropped and counted in a note, item still valid: evidence entries outside [start_line,
 *       end_line] of the span or malformed (evidence is advisory, one bad range should not throw
 *       away a good summary); list entries that copy the prompt's placeholders; blank entries and
 *       "none"/"n/a" entries.
 *   <li>Dropped and counted in {@code droppedRelated}: related names the resolver does not know (or
 *       finds ambiguous) and names that resolve to the span itself. They are never stored.
 *   <li>Filled, with a note: missing list fields become empty lists, a missing usage_snippet
 *       becomes null (models without constrained decoding leave out what they have nothing for).
 *       Unknown keys are ignored with a note.
 * </ul>
 */
public final class EnrichmentValidator {

  public static final int MIN_SUMMARY_WORDS = 3;

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(EnrichmentSchema.singleNode());

  /** Text of our prompts that never belongs in a summary (unless the span's code has it too). */
  private static final List<String> PROMPT_MARKERS =
      List.of(
          "=== span",
          "summary_120w",
          "span_index",
          "related_spans",
          "usage_snippet",
          "side_effects",
          "reply with json",
          "reply with one json",
          "its values say what to write",
          "describe this code span",
          "describe each of these",
          "line-numbered",
          "do not describe",
          "120 words",
          "in your own words");

  private static final Set<String> EMPTY_WORDS =
      Set.of("none", "n/a", "na", "null", "nothing", "-", "");

  private static final Pattern NUMBERED_LINE = Pattern.compile("^\\s*\\d+\\s*\\|.*");

  private EnrichmentValidator() {}

  /**
   * @param item one item as the model wrote it ({@code span_index}, if present, is ignored)
   * @param span the span the item describes
   * @param resolver resolves related names to span ids
   */
  public static ValidationOutcome validate(JsonNode item, Span span, RelatedResolver resolver) {
    if (item == null || !item.isObject()) {
      return invalid("item is " + kind(item) + ", not a JSON object");
    }
    ObjectNode n = item.deepCopy();
    List<String> notes = new ArrayList<>();

    n.remove(EnrichmentSchema.SPAN_INDEX);
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!EnrichmentSchema.FIELDS.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      n.remove(unknown);
      notes.add("ignored unknown keys: " + String.join(", ", unknown));
    }

    JsonNode rawSummary = n.get(EnrichmentSchema.SUMMARY);
    if (rawSummary == null || rawSummary.isNull()) {
      return invalid("no summary_120w");
    }
    if (!rawSummary.isTextual()) {
      return invalid("summary_120w is " + kind(rawSummary) + ", not a string");
    }
    List<String> filled = new ArrayList<>();
    for (String f : EnrichmentSchema.FIELDS) {
      JsonNode v = n.get(f);
      if (v == null || (v.isNull() && !f.equals(EnrichmentSchema.USAGE_SNIPPET))) {
        filled.add(f);
        if (f.equals(EnrichmentSchema.USAGE_SNIPPET)) {
          n.putNull(f);
        } else {
          n.putArray(f);
        }
      }
    }
    if (!filled.isEmpty()) {
      notes.add("filled missing fields: " + String.join(", ", filled));
    }
    // Re-insert in schema order so that the stored payload always reads the same way.
    ObjectNode ordered = n.objectNode();
    for (String f : EnrichmentSchema.FIELDS) {
      ordered.set(f, n.get(f));
    }
    n = ordered;

    SummaryCheck summary = checkSummary(rawSummary.asText(), span);
    if (summary.error() != null) {
      return invalid(summary.error());
    }
    n.put(EnrichmentSchema.SUMMARY, summary.text());
    if (summary.note() != null) {
      notes.add(summary.note());
    }

    for (String f : EnrichmentSchema.STRING_LISTS) {
      cleanList(n, f, notes);
    }
    String copies = copiedLists(n);
    if (copies != null) {
      return invalid(copies);
    }
    cleanUsage(n);
    cleanEvidence(n, span, notes);

    Set<ValidationMessage> errors = SCHEMA.validate(n);
    if (!errors.isEmpty()) {
      return invalid(
          "schema: "
              + errors.stream()
                  .map(ValidationMessage::getMessage)
                  .sorted()
                  .limit(3)
                  .collect(Collectors.joining("; ")));
    }

    Enrichment parsed = EnrichmentJson.fromNode(n);
    List<String> kept = new ArrayList<>();
    List<String> unknownNames = new ArrayList<>();
    int self = 0;
    Set<Long> seen = new HashSet<>();
    for (String raw : parsed.relatedSpans()) {
      String name = cleanName(raw);
      Resolved r = resolve(name, resolver);
      if (r == null) {
        unknownNames.add(name);
      } else if (r.id() == span.id()) {
        self++;
      } else if (seen.add(r.id())) {
        // Keep the spelling that resolved, so that the store resolves it the same way.
        kept.add(r.name());
      }
    }
    if (!unknownNames.isEmpty()) {
      notes.add(
          "dropped "
              + unknownNames.size()
              + " related name(s) not in the index: "
              + String.join(", ", unknownNames.stream().limit(8).toList()));
    }
    if (self > 0) {
      notes.add("dropped a related name that is the span itself");
    }
    Enrichment result =
        new Enrichment(
            parsed.summary120w(),
            parsed.inputs(),
            parsed.outputs(),
            parsed.sideEffects(),
            parsed.pitfalls(),
            parsed.usageSnippet(),
            parsed.evidence(),
            kept);
    return new ValidationOutcome.Valid(result, unknownNames.size() + self, notes);
  }

  // ---------------------------------------------------------------- summary

  private record SummaryCheck(String text, String note, String error) {
    static SummaryCheck error(String e) {
      return new SummaryCheck(null, null, e);
    }
  }

  private static SummaryCheck checkSummary(String raw, Span span) {
    String s = raw.strip();
    if (s.isEmpty()) {
      return SummaryCheck.error("summary_120w is empty");
    }
    if (EnrichmentExample.isPlaceholder(EnrichmentSchema.SUMMARY, s)) {
      return SummaryCheck.error("summary_120w copies the prompt's example");
    }
    if (EnrichmentExample.copiesInstructions(s)) {
      return SummaryCheck.error("summary_120w copies the prompt's instructions");
    }
    Optional<String> echo = echo(s, span);
    if (echo.isPresent()) {
      return SummaryCheck.error(echo.get());
    }
    String note = null;
    int words = wordCount(s);
    int maxChars = EnrichmentSchema.maxLength(EnrichmentSchema.SUMMARY);
    if (words > EnrichmentSchema.MAX_SUMMARY_WORDS || s.length() > maxChars) {
      String cut = trimToSentence(s, EnrichmentSchema.MAX_SUMMARY_WORDS, maxChars);
      if (cut == null) {
        return SummaryCheck.error(
            "summary_120w has "
                + words
                + " words and "
                + s.length()
                + " characters (max "
                + EnrichmentSchema.MAX_SUMMARY_WORDS
                + " words, "
                + maxChars
                + " characters) and no sentence end to trim at");
      }
      note = "summary trimmed from " + words + " to " + wordCount(cut) + " words at a sentence end";
      s = cut;
    } else if (s.length() >= maxChars && !endsSentence(s)) {
      // Constrained decoding stopped the string at its cap, mid-sentence.
      String cut = trimToSentence(s, EnrichmentSchema.MAX_SUMMARY_WORDS, maxChars);
      if (cut != null) {
        note = "summary hit the " + maxChars + "-character cap; cut back to its last full sentence";
        s = cut;
      }
    }
    int finalWords = wordCount(s);
    if (finalWords < MIN_SUMMARY_WORDS) {
      return SummaryCheck.error(
          "summary_120w has only " + finalWords + " word(s): '" + abbreviate(s, 60) + "'");
    }
    return new SummaryCheck(s, note, null);
  }

  /** Why {@code summary} is an echo of the prompt or the code rather than a description. */
  static Optional<String> echo(String summary, Span span) {
    String sq = squash(summary);
    String code = squash(span.code());
    for (String marker : PROMPT_MARKERS) {
      if (sq.contains(marker) && !code.contains(marker)) {
        return Optional.of("summary_120w echoes the prompt ('" + marker + "')");
      }
    }
    List<String> lines = summary.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    long numbered = lines.stream().filter(l -> NUMBERED_LINE.matcher(l).matches()).count();
    if (numbered >= 2) {
      return Optional.of("summary_120w echoes the line-numbered code");
    }
    String bare = stripEndPunctuation(sq);
    if (span.signature() != null && bare.equals(stripEndPunctuation(squash(span.signature())))) {
      return Optional.of("summary_120w is just the signature");
    }
    String firstCodeLine =
        span.code().lines().findFirst().map(EnrichmentValidator::squash).orElse("");
    if (!firstCodeLine.isEmpty() && bare.equals(stripEndPunctuation(firstCodeLine))) {
      return Optional.of("summary_120w is just the first line of the code");
    }
    if (code.contains(sq)
        && (lines.size() >= 2
            || codeDensity(summary) >= 0.08
            || sq.length() * 2 >= code.length())) {
      return Optional.of("summary_120w is a copy of the code");
    }
    if (lines.size() >= 2) {
      Set<String> codeLines =
          span.code()
              .lines()
              .map(EnrichmentValidator::squash)
              .filter(l -> l.length() >= 4)
              .collect(Collectors.toSet());
      long copied =
          lines.stream().map(EnrichmentValidator::squash).filter(codeLines::contains).count();
      if (copied * 2 >= lines.size()) {
        return Optional.of("summary_120w repeats lines of the code");
      }
    }
    return Optional.empty();
  }

  private static double codeDensity(String s) {
    long punct = s.chars().filter(c -> "{}();=[]<>".indexOf(c) >= 0).count();
    return s.isEmpty() ? 0 : (double) punct / s.length();
  }

  /**
   * The longest prefix of {@code s} that ends a sentence and has at most {@code maxWords} words and
   * {@code maxChars} characters, or null when there is none.
   */
  static String trimToSentence(String s, int maxWords, int maxChars) {
    int words = 0;
    boolean inWord = false;
    int lastEnd = -1;
    for (int i = 0; i < s.length() && i < maxChars; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        inWord = false;
        continue;
      }
      if (!inWord) {
        words++;
        inWord = true;
        if (words > maxWords) {
          break;
        }
      }
      boolean atEnd = i + 1 == s.length() || Character.isWhitespace(s.charAt(i + 1));
      if ((c == '.' || c == '!' || c == '?') && atEnd) {
        lastEnd = i + 1;
      }
    }
    return lastEnd < 0 ? null : s.substring(0, lastEnd).strip();
  }

  private static boolean endsSentence(String s) {
    char last = s.charAt(s.length() - 1);
    return last == '.' || last == '!' || last == '?';
  }

  public static int wordCount(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  // ---------------------------------------------------------------- lists, usage, evidence

  private static void cleanList(ObjectNode n, String field, List<String> notes) {
    JsonNode v = n.get(field);
    if (!v.isArray()) {
      return; // the schema reports the wrong type
    }
    ArrayNode out = n.arrayNode();
    int placeholders = 0;
    int repeated = 0;
    Set<String> seen = new HashSet<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        out.add(e); // the schema reports the wrong type
        continue;
      }
      String s = e.asText().strip();
      if (EMPTY_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (EnrichmentExample.isPlaceholder(field, s)) {
        placeholders++;
        continue;
      }
      if (!seen.add(squash(s))) {
        repeated++; // small models loop: "x", "x", "x" until maxItems
        continue;
      }
      out.add(s);
    }
    if (placeholders > 0) {
      notes.add(
          "dropped " + placeholders + " " + field + " entry copied from the prompt's example");
    }
    if (repeated > 0) {
      notes.add("dropped " + repeated + " repeated " + field + " entries");
    }
    int max = EnrichmentSchema.maxItems(field);
    if (out.size() > max) {
      notes.add(field + " cut from " + out.size() + " to " + max + " entries");
      while (out.size() > max) {
        out.remove(out.size() - 1);
      }
    }
    n.set(field, out);
  }

  /**
   * A model that writes the same entries into three or more of inputs, outputs, side_effects and
   * pitfalls is looping, not describing; such an item is garbage even if each list looks fine.
   */
  private static String copiedLists(ObjectNode n) {
    List<String> fields =
        List.of(
            EnrichmentSchema.INPUTS,
            EnrichmentSchema.OUTPUTS,
            EnrichmentSchema.SIDE_EFFECTS,
            EnrichmentSchema.PITFALLS);
    java.util.Map<String, List<String>> byContent = new java.util.HashMap<>();
    for (String f : fields) {
      JsonNode v = n.get(f);
      if (v.isArray() && !v.isEmpty()) {
        byContent
            .computeIfAbsent(v.toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(f);
      }
    }
    for (List<String> same : byContent.values()) {
      if (same.size() >= 3) {
        return String.join(", ", same) + " repeat the same entries";
      }
    }
    return null;
  }

  private static void cleanUsage(ObjectNode n) {
    JsonNode v = n.get(EnrichmentSchema.USAGE_SNIPPET);
    if (v.isTextual()) {
      String s = v.asText().strip();
      if (EMPTY_WORDS.contains(s.toLowerCase(Locale.ROOT))
          || EnrichmentExample.isPlaceholder(EnrichmentSchema.USAGE_SNIPPET, s)) {
        n.putNull(EnrichmentSchema.USAGE_SNIPPET);
      } else {
        n.put(EnrichmentSchema.USAGE_SNIPPET, s);
      }
    }
  }

  private static void cleanEvidence(ObjectNode n, Span span, List<String> notes) {
    JsonNode v = n.get(EnrichmentSchema.EVIDENCE);
    if (!v.isArray()) {
      return; // the schema reports the wrong type
    }
    List<String> fields = EnrichmentSchema.evidenceFields();
    ArrayNode out = n.arrayNode();
    int malformed = 0;
    int outside = 0;
    for (JsonNode e : v) {
      JsonNode field = e.path("field");
      JsonNode lines = e.path("lines");
      if (!e.isObject()
          || !field.isTextual()
          || !fields.contains(field.asText())
          || !lines.isArray()
          || lines.size() != 2
          || !lines.get(0).canConvertToInt()
          || !lines.get(1).canConvertToInt()
          || !lines.get(0).isIntegralNumber()
          || !lines.get(1).isIntegralNumber()) {
        malformed++;
        continue;
      }
      int start = lines.get(0).asInt();
      int end = lines.get(1).asInt();
      if (start > end) {
        malformed++;
        continue;
      }
      if (start < span.startLine() || end > span.endLine()) {
        outside++;
        continue;
      }
      ObjectNode kept = out.addObject();
      kept.put("field", field.asText());
      kept.putArray("lines").add(start).add(end);
    }
    if (outside > 0) {
      notes.add(
          "dropped "
              + outside
              + " evidence item(s) outside lines "
              + span.startLine()
              + "-"
              + span.endLine());
    }
    if (malformed > 0) {
      notes.add("dropped " + malformed + " malformed evidence item(s)");
    }
    int max = EnrichmentSchema.maxItems(EnrichmentSchema.EVIDENCE);
    if (out.size() > max) {
      notes.add("evidence cut from " + out.size() + " to " + max + " entries");
      while (out.size() > max) {
        out.remove(out.size() - 1);
      }
    }
    n.set(EnrichmentSchema.EVIDENCE, out);
  }

  // ---------------------------------------------------------------- related names

  /**
   * Cleans what models write around a name: quotes, backticks, call parentheses, a receiver such as
   * {@code self.} or {@code this.}.
   */
  static String cleanName(String raw) {
    String s = raw.strip();
    s = stripWrapping(s);
    int paren = s.indexOf('(');
    if (paren > 0) {
      s = s.substring(0, paren);
    }
    for (String receiver : List.of("self.", "this.", "cls.", "this->", "@")) {
      if (s.startsWith(receiver) && s.length() > receiver.length()) {
        s = s.substring(receiver.length());
      }
    }
    while (!s.isEmpty() && ";:,".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(0, s.length() - 1);
    }
    return s.strip();
  }

  private static String stripWrapping(String s) {
    while (s.length() >= 2) {
      char a = s.charAt(0);
      char b = s.charAt(s.length() - 1);
      if ((a == '`' && b == '`') || (a == '"' && b == '"') || (a == '\'' && b == '\'')) {
        s = s.substring(1, s.length() - 1).strip();
      } else {
        break;
      }
    }
    return s;
  }

  private record Resolved(String name, long id) {}

  private static Resolved resolve(String name, RelatedResolver resolver) {
    if (name.isEmpty()) {
      return null;
    }
    Set<String> tries = new LinkedHashSet<>();
    tries.add(name);
    tries.add(name.replace("::", ".").replace('#', '.').replace("->", "."));
    for (String t : tries) {
      OptionalLong id = resolver.resolve(t);
      if (id.isPresent()) {
        return new Resolved(t, id.getAsLong());
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- helpers

  private static ValidationOutcome invalid(String reason) {
    return new ValidationOutcome.Invalid(reason);
  }

  private static String kind(JsonNode n) {
    if (n == null || n.getNodeType() == JsonNodeType.MISSING) {
      return "missing";
    }
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static String squash(String s) {
    return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static String stripEndPunctuation(String s) {
    String t = s;
    while (!t.isEmpty() && ".;:,".indexOf(t.charAt(t.length() - 1)) >= 0) {
      t = t.substring(0, t.length() - 1);
    }
    return t.strip();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
