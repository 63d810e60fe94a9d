package io.codegloss.core.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Validates one model-written item against the prose schema and against the span it describes and
 * its facts. Every chat path (single, batch, every backend) goes through here before anything is
 * stored.
 *
 * <p>Decisions, so that a small model's near-misses are kept where that is safe and rejected where
 * storing them would mislead:
 *
 * <ul>
 *   <li>Invalid: not an object; no summary; a summary that is not a string, is empty, has fewer
 *       than {@value #MIN_SUMMARY_WORDS} words, copies the prompt's example, echoes the prompt or
 *       the code; a list field of the wrong type or with entries that are not strings or too long;
 *       the same entries in three or more lists (a loop); any other schema violation.
 *   <li>Trimmed, with a note: a summary over {@value EnrichmentSchema#MAX_SUMMARY_WORDS} words (or
 *       over the schema's character cap) is cut back to its last full sentence within the cap; if
 *       it has no sentence end within the cap the item is invalid. Lists longer than their maxItems
 *       keep their first entries.
 *   <li>Dropped with a note, item still valid: list entries that copy the prompt's placeholders;
 *       blank, repeated and "none"/"n/a" entries.
 *   <li>Dropped and counted in {@code droppedNames} (when facts are known): an {@code inputs} entry
 *       whose name is not a parameter in the facts, a {@code side_effects} entry whose detail is
 *       not one of the facts' candidates, an {@code outputs} entry when the facts show no return
 *       value. The model writes meanings, never the facts themselves, so a name it invents is never
 *       stored. Without facts (not computed) the meanings are kept unchecked.
 *   <li>Flagged: a summary equal to the span's own docstring (whitespace folded, case ignored) is
 *       valid but {@code summaryIsDocstring}, so the store records it as the docstring's words.
 *   <li>Filled, with a note: missing list fields become empty lists. Unknown keys (usage_snippet,
 *       evidence, related_spans of the old prompt too) are ignored with a note.
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
          "side_effects",
          "pitfalls:",
          "params:",
          "raises:",
          "calls:",
          "side effects:",
          "docstring:",
          "reply with json",
          "reply with one json",
          "its values say what to write",
          "describe this code span",
          "describe each of these",
          "analysis already listed",
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
   * @param facts the span's facts, or null when they were not computed (meanings then unchecked)
   */
  public static ValidationOutcome validate(JsonNode item, Span span, @Nullable SpanFacts facts) {
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
      if (v == null || v.isNull()) {
        filled.add(f);
        n.putArray(f);
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

    List<String> inputs = strings(n.get(EnrichmentSchema.INPUTS));
    List<String> outputs = strings(n.get(EnrichmentSchema.OUTPUTS));
    List<String> effects = strings(n.get(EnrichmentSchema.SIDE_EFFECTS));
    int dropped = 0;
    if (facts != null) {
      Named in = keepNamed(inputs, FactNames.params(facts));
      Named fx = keepNamed(effects, FactNames.sideEffects(facts));
      if (!in.unknown().isEmpty()) {
        notes.add(
            "dropped "
                + in.unknown().size()
                + " inputs entry(ies) naming no parameter: "
                + String.join(", ", in.unknown().stream().limit(8).toList()));
      }
      if (!fx.unknown().isEmpty()) {
        notes.add(
            "dropped "
                + fx.unknown().size()
                + " side_effects entry(ies) naming no side-effect candidate: "
                + String.join(", ", fx.unknown().stream().limit(8).toList()));
      }
      int outs = 0;
      if (!FactNames.returnsValue(facts) && !outputs.isEmpty()) {
        outs = outputs.size();
        outputs = List.of();
        notes.add("dropped " + outs + " outputs entry(ies): the facts show no return value");
      }
      inputs = in.kept();
      effects = fx.kept();
      dropped = in.unknown().size() + fx.unknown().size() + outs;
    }
    String text = summary.text();
    boolean fromDocstring =
        facts != null
            && facts.docstring() != null
            && squash(facts.docstring()).equals(squash(text));
    Enrichment result =
        new Enrichment(
            text,
            inputs,
            outputs,
            effects,
            strings(n.get(EnrichmentSchema.PITFALLS)),
            null,
            List.of(),
            List.of());
    return new ValidationOutcome.Valid(result, dropped, fromDocstring, notes);
  }

  // ---------------------------------------------------------------- meanings

  /** Entries whose name is known, and the names of those that are not. */
  private record Named(List<String> kept, List<String> unknown) {}

  /**
   * Keeps the entries written as {@code name: meaning} whose name is one of {@code names}; the
   * longest known name wins (a detail such as {@code os.environ} may contain another). A name
   * wrapped in backticks or quotes, or with a receiver ({@code self.}), still counts.
   */
  private static Named keepNamed(List<String> entries, List<String> names) {
    List<String> kept = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String e : entries) {
      int colon = e.indexOf(':');
      String written = colon < 0 ? e : e.substring(0, colon);
      String name = cleanName(written);
      String match = null;
      for (String known : names) {
        if ((known.equals(name) || known.equals(stripWrapping(written.strip())))
            && (match == null || known.length() > match.length())) {
          match = known;
        }
      }
      if (match == null) {
        // A detail may hold a colon itself (C++ std::cout): try the longest known prefix.
        for (String known : names) {
          String rest = stripWrapping(e.strip());
          if (rest.startsWith(known)
              && rest.substring(known.length()).stripLeading().startsWith(":")
              && (match == null || known.length() > match.length())) {
            match = known;
          }
        }
      }
      if (match == null || colon < 0) {
        unknown.add(abbreviate(written.strip(), 40));
      } else {
        kept.add(e);
      }
    }
    return new Named(List.copyOf(kept), List.copyOf(unknown));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
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

  // ---------------------------------------------------------------- lists

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

  // ---------------------------------------------------------------- names

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
