package io.codegloss.worker.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.enrich.EnrichmentValidator;
import io.codegloss.core.enrich.ValidationOutcome;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a batch completion into one outcome per span. Items are matched to spans by {@code
 * span_index}, never by position: a model that reorders items still lands every note on the right
 * span, and one that skips a span leaves only that span missing.
 *
 * <ul>
 *   <li>No JSON or truncated JSON: every span Missing (never a partial read of a half-written
 *       answer).
 *   <li>A top-level array is accepted as the items; a lone item object is accepted as one item.
 *   <li>An index seen twice keeps the first item that validates; later ones count as duplicates.
 *   <li>Out-of-range and unindexed items are counted and ignored. With one span and one item, a
 *       missing span_index is taken as 1 (unambiguous).
 *   <li>Each item is validated on its own: one invalid item never costs the valid ones.
 * </ul>
 */
public final class BatchParser {

  /** Top-level keys that mark an object as the answer rather than JSON quoted from the code. */
  static final Set<String> ANSWER_KEYS =
      Set.of(EnrichmentSchema.ITEMS, EnrichmentSchema.SUMMARY, EnrichmentSchema.SPAN_INDEX);

  private BatchParser() {}

  /**
   * @param facts the spans' facts by span id; a span without an entry has no facts and its meanings
   *     are not checked against names
   */
  public static BatchParseResult parse(
      String completionText, List<Span> spans, Map<Long, SpanFacts> facts) {
    JsonExtractor.Extraction x =
        JsonExtractor.extractObject(completionText, EnrichmentSchema.ITEMS, ANSWER_KEYS);
    if (x instanceof JsonExtractor.Failed f) {
      return allMissing(spans, f.reason(), null);
    }
    JsonExtractor.Found found = (JsonExtractor.Found) x;
    ObjectNode root = found.object();
    JsonNode items = itemsOf(root);
    if (items == null) {
      return allMissing(spans, "the answer has no items array", found.note());
    }

    int n = spans.size();
    int unindexed = 0;
    int outOfRange = 0;
    Map<Integer, List<JsonNode>> byIndex = new LinkedHashMap<>();
    for (JsonNode item : items) {
      if (!item.isObject()) {
        unindexed++;
        continue;
      }
      Integer index = index(item.get(EnrichmentSchema.SPAN_INDEX));
      if (index == null && n == 1 && items.size() == 1) {
        index = 1;
      }
      if (index == null) {
        unindexed++;
      } else if (index < 1 || index > n) {
        outOfRange++;
      } else {
        byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(item);
      }
    }
    int duplicates = 0;
    for (Entry<Integer, List<JsonNode>> e : byIndex.entrySet()) {
      duplicates += e.getValue().size() - 1;
    }

    List<SpanOutcome> outcomes = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      Span span = spans.get(i - 1);
      List<JsonNode> candidates = byIndex.get(i);
      if (candidates == null) {
        outcomes.add(new SpanOutcome.Missing(span, "no item with span_index " + i));
        continue;
      }
      outcomes.add(firstValid(span, candidates, facts.get(span.id())));
    }
    return new BatchParseResult(
        outcomes, items.size(), duplicates, outOfRange, unindexed, null, found.note());
  }

  /** Validates candidates in order and keeps the first valid one. */
  static SpanOutcome firstValid(Span span, List<JsonNode> candidates, @Nullable SpanFacts facts) {
    String firstReason = null;
    for (JsonNode c : candidates) {
      ValidationOutcome v = EnrichmentValidator.validate(c, span, facts);
      if (v instanceof ValidationOutcome.Valid ok) {
        return new SpanOutcome.Valid(
            span, ok.enrichment(), ok.droppedNames(), ok.summaryIsDocstring(), ok.notes());
      }
      if (firstReason == null) {
        firstReason = ((ValidationOutcome.Invalid) v).reason();
      }
    }
    String reason =
        candidates.size() == 1
            ? firstReason
            : firstReason + " (and " + (candidates.size() - 1) + " duplicate item(s) also invalid)";
    return new SpanOutcome.Invalid(span, reason);
  }

  /**
   * The items array: {@code items}, or the one array-of-objects field of a model that renamed it,
   * or the root itself when the model answered with one bare item.
   */
  private static @Nullable JsonNode itemsOf(ObjectNode root) {
    JsonNode items = root.get(EnrichmentSchema.ITEMS);
    if (items != null) {
      return items.isArray() ? items : null;
    }
    if (root.has(EnrichmentSchema.SUMMARY)) {
      return root.arrayNode().add(root);
    }
    JsonNode only = null;
    for (Entry<String, JsonNode> e : root.properties()) {
      JsonNode v = e.getValue();
      if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
        if (only != null) {
          return null;
        }
        only = v;
      }
    }
    return only;
  }

  /** A span_index as an integer: integral numbers and numeric strings ("2") count, 2.0 too. */
  static @Nullable Integer index(@Nullable JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
      return (int) v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Integer.parseInt(v.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static BatchParseResult allMissing(
      List<Span> spans, String reason, @Nullable String note) {
    List<SpanOutcome> out = new ArrayList<>();
    for (Span s : spans) {
      out.add(new SpanOutcome.Missing(s, reason));
    }
    return new BatchParseResult(out, 0, 0, 0, 0, reason, note);
  }
}
