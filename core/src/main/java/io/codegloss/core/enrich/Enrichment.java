package io.codegloss.core.enrich;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One validated enrichment of one span. Lists are never null; {@code relatedSpans} holds only names
 * that resolved to another span of the index.
 */
public record Enrichment(
    String summary120w,
    List<String> inputs,
    List<String> outputs,
    List<String> sideEffects,
    List<String> pitfalls,
    @Nullable String usageSnippet,
    List<Evidence> evidence,
    List<String> relatedSpans) {

  public Enrichment {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    sideEffects = List.copyOf(sideEffects);
    pitfalls = List.copyOf(pitfalls);
    evidence = List.copyOf(evidence);
    relatedSpans = List.copyOf(relatedSpans);
  }
}
