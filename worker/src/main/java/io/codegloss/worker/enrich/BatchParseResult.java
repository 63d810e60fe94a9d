package io.codegloss.worker.enrich;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * @param outcomes one outcome per span, in the order of the spans given to the parser
 * @param items how many items the answer held (0 when it had no usable JSON)
 * @param duplicates items whose span_index had already been seen (the first valid one is kept)
 * @param outOfRange items whose span_index is outside 1..N
 * @param unindexed items without a usable span_index, or not objects at all
 * @param failure why the answer as a whole was unusable (no JSON, truncated), else null
 * @param note what the extractor had to do to find the JSON, else null
 */
public record BatchParseResult(
    List<SpanOutcome> outcomes,
    int items,
    int duplicates,
    int outOfRange,
    int unindexed,
    @Nullable String failure,
    @Nullable String note) {

  public BatchParseResult {
    outcomes = List.copyOf(outcomes);
  }

  /** Items beyond the number of spans asked for. */
  public int extra() {
    return Math.max(0, items - outcomes.size());
  }

  /** True when the answer did not hold exactly one item per span. */
  public boolean countMismatch() {
    return items != outcomes.size();
  }

  public List<SpanOutcome.Valid> valid() {
    return outcomes.stream()
        .filter(SpanOutcome.Valid.class::isInstance)
        .map(SpanOutcome.Valid.class::cast)
        .toList();
  }

  /** Spans to re-enqueue as single-span jobs: Invalid and Missing. */
  public List<SpanOutcome> failed() {
    return outcomes.stream().filter(o -> !(o instanceof SpanOutcome.Valid)).toList();
  }

  /** ok (every span valid), partial (some) or invalid (none), as in llm_calls.outcome. */
  public String callOutcome() {
    int valid = valid().size();
    if (valid == outcomes.size()) {
      return "ok";
    }
    return valid == 0 ? "invalid" : "partial";
  }
}
