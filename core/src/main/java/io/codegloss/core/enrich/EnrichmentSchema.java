package io.codegloss.core.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.error.PermanentException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The enrichment JSON Schema, defined once in {@code enrichment.schema.json} and used both to
 * constrain decoding (llama.cpp grammar, Ollama {@code format}, OpenAI {@code response_format}) and
 * to validate every item ({@link EnrichmentValidator}).
 *
 * <p>The schema is kept grammar-friendly: every string and list is bounded (a small model cannot
 * ramble forever inside a constrained string), every field is required, and properties appear in a
 * fixed order with the summary first, which is the order constrained decoding emits them in.
 */
public final class EnrichmentSchema {

  /**
   * Bump when the prompt text changes in a way that changes what models write. 2: the chat prompt
   * carries the span's facts (found by analysis) and asks for prose only.
   */
  public static final int PROMPT_VERSION = 2;

  /**
   * Bump when the stored payload's shape changes. 2: the model writes prose only; usage_snippet,
   * evidence and related_spans are stored empty (analysis supplies them elsewhere).
   */
  public static final int SCHEMA_VERSION = 2;

  /** The seed's word cap on {@code summary_120w}. */
  public static final int MAX_SUMMARY_WORDS = 120;

  /** The wrapper key of a batch answer: {@code {"items":[...]}}. */
  public static final String ITEMS = "items";

  /** The per-item key that names the span an item belongs to (1..N). */
  public static final String SPAN_INDEX = "span_index";

  public static final String SUMMARY = "summary_120w";
  public static final String INPUTS = "inputs";
  public static final String OUTPUTS = "outputs";
  public static final String SIDE_EFFECTS = "side_effects";
  public static final String PITFALLS = "pitfalls";
  public static final String USAGE_SNIPPET = "usage_snippet";
  public static final String EVIDENCE = "evidence";
  public static final String RELATED_SPANS = "related_spans";

  /**
   * The fields a model writes for one item, in schema order: the summary first, then the free
   * pitfalls, then the meanings of the facts. The stored payload ({@link EnrichmentJson}) keeps all
   * eight fields of {@link Enrichment}; usage_snippet, evidence and related_spans are no longer the
   * model's to write.
   */
  public static final List<String> FIELDS =
      List.of(SUMMARY, PITFALLS, INPUTS, OUTPUTS, SIDE_EFFECTS);

  /** The string-list fields of an item. */
  public static final List<String> STRING_LISTS = List.of(PITFALLS, INPUTS, OUTPUTS, SIDE_EFFECTS);

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final ObjectNode ITEM = load();

  private EnrichmentSchema() {}

  private static ObjectNode load() {
    try (InputStream in = EnrichmentSchema.class.getResourceAsStream("/enrichment.schema.json")) {
      if (in == null) {
        throw new PermanentException("enrichment.schema.json is missing from the classpath");
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new PermanentException("cannot read enrichment.schema.json: " + e.getMessage(), e);
    }
  }

  /** The schema of one span's enrichment, as a JSON string. */
  public static String single() {
    return ITEM.toString();
  }

  /** A copy of the single-item schema as a tree. */
  public static ObjectNode singleNode() {
    return ITEM.deepCopy();
  }

  /**
   * The schema of a batch answer for {@code n} spans: one object {@code {"items":[...]}} whose
   * items carry {@code span_index} (an enum 1..n, emitted first) and exactly {@code n} items.
   */
  public static String batch(int n) {
    return batchNode(n).toString();
  }

  public static ObjectNode batchNode(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a batch has at least one span, got " + n);
    }
    ObjectNode item = MAPPER.createObjectNode();
    item.put("type", "object");
    ObjectNode props = item.putObject("properties");
    ArrayNode indexes = props.putObject(SPAN_INDEX).putArray("enum");
    for (int i = 1; i <= n; i++) {
      indexes.add(i);
    }
    ITEM.get("properties")
        .properties()
        .forEach(e -> props.set(e.getKey(), e.getValue().deepCopy()));
    ArrayNode required = item.putArray("required");
    required.add(SPAN_INDEX);
    ITEM.get("required").forEach(r -> required.add(r.asText()));
    item.put("additionalProperties", false);

    ObjectNode root = MAPPER.createObjectNode();
    root.put("type", "object");
    ObjectNode items = root.putObject("properties").putObject(ITEMS);
    items.put("type", "array");
    items.set("items", item);
    items.put("minItems", n);
    items.put("maxItems", n);
    root.putArray("required").add(ITEMS);
    root.put("additionalProperties", false);
    return root;
  }

  /** maxItems of a list field, read from the schema. */
  public static int maxItems(String field) {
    return ITEM.get("properties").get(field).get("maxItems").asInt();
  }

  /** maxLength of a string field (or of the strings in a list field), read from the schema. */
  public static int maxLength(String field) {
    JsonNode f = ITEM.get("properties").get(field);
    JsonNode target = f.has("items") ? f.get("items") : f;
    return target.get("maxLength").asInt();
  }
}
