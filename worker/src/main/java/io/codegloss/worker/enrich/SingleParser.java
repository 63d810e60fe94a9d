package io.codegloss.worker.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a single-span completion into an outcome. Accepts the bare item (the asked-for shape), an
 * array holding one item, and a batch-shaped {@code {"items":[...]}} answer whose item for span 1
 * (or only item) is taken; anything else is Missing or Invalid exactly as in {@link BatchParser}.
 */
public final class SingleParser {

  private SingleParser() {}

  /**
   * @param facts the span's facts, or null when not computed (meanings then unchecked)
   */
  public static SpanOutcome parse(String completionText, Span span, @Nullable SpanFacts facts) {
    JsonExtractor.Extraction x =
        JsonExtractor.extractObject(completionText, null, BatchParser.ANSWER_KEYS);
    if (x instanceof JsonExtractor.Failed f) {
      return new SpanOutcome.Missing(span, f.reason());
    }
    ObjectNode root = ((JsonExtractor.Found) x).object();
    JsonNode items = root.get(EnrichmentSchema.ITEMS);
    if (items == null || root.has(EnrichmentSchema.SUMMARY)) {
      return BatchParser.firstValid(span, List.of(root), facts);
    }
    if (!items.isArray() || items.isEmpty()) {
      return new SpanOutcome.Missing(span, "the answer's items array is empty or not an array");
    }
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode item : items) {
      Integer index = BatchParser.index(item.get(EnrichmentSchema.SPAN_INDEX));
      if (items.size() == 1 || (index != null && index == 1)) {
        candidates.add(item);
      }
    }
    if (candidates.isEmpty()) {
      return new SpanOutcome.Missing(
          span, "expected one item, got " + items.size() + " items and none for span_index 1");
    }
    return BatchParser.firstValid(span, candidates, facts);
  }
}
