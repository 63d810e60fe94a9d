package io.codegloss.core.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.error.PermanentException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an {@link Enrichment} ({@code enrichments.payload}): exactly the schema's
 * field names and shapes, so that a stored payload validates against {@link
 * EnrichmentSchema#single()}.
 */
public final class EnrichmentJson {

  private EnrichmentJson() {}

  public static ObjectNode toNode(Enrichment e) {
    ObjectNode n = EnrichmentSchema.MAPPER.createObjectNode();
    n.put(EnrichmentSchema.SUMMARY, e.summary120w());
    strings(n.putArray(EnrichmentSchema.INPUTS), e.inputs());
    strings(n.putArray(EnrichmentSchema.OUTPUTS), e.outputs());
    strings(n.putArray(EnrichmentSchema.SIDE_EFFECTS), e.sideEffects());
    strings(n.putArray(EnrichmentSchema.PITFALLS), e.pitfalls());
    if (e.usageSnippet() == null) {
      n.putNull(EnrichmentSchema.USAGE_SNIPPET);
    } else {
      n.put(EnrichmentSchema.USAGE_SNIPPET, e.usageSnippet());
    }
    ArrayNode ev = n.putArray(EnrichmentSchema.EVIDENCE);
    for (Evidence x : e.evidence()) {
      ObjectNode o = ev.addObject();
      o.put("field", x.field());
      o.putArray("lines").add(x.startLine()).add(x.endLine());
    }
    strings(n.putArray(EnrichmentSchema.RELATED_SPANS), e.relatedSpans());
    return n;
  }

  public static String toJson(Enrichment e) {
    return toNode(e).toString();
  }

  /** Reads a stored payload back. The payload was validated before it was stored. */
  public static Enrichment fromJson(String json) {
    try {
      return fromNode(EnrichmentSchema.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new PermanentException("stored enrichment payload is not JSON: " + e.getMessage(), e);
    }
  }

  public static Enrichment fromNode(JsonNode n) {
    List<Evidence> evidence = new ArrayList<>();
    for (JsonNode x : n.path(EnrichmentSchema.EVIDENCE)) {
      JsonNode lines = x.path("lines");
      evidence.add(
          new Evidence(x.path("field").asText(), lines.path(0).asInt(), lines.path(1).asInt()));
    }
    JsonNode usage = n.path(EnrichmentSchema.USAGE_SNIPPET);
    return new Enrichment(
        n.path(EnrichmentSchema.SUMMARY).asText(),
        strings(n.path(EnrichmentSchema.INPUTS)),
        strings(n.path(EnrichmentSchema.OUTPUTS)),
        strings(n.path(EnrichmentSchema.SIDE_EFFECTS)),
        strings(n.path(EnrichmentSchema.PITFALLS)),
        usage.isTextual() ? usage.asText() : null,
        evidence,
        strings(n.path(EnrichmentSchema.RELATED_SPANS)));
  }

  private static void strings(ArrayNode target, List<String> values) {
    values.forEach(target::add);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
