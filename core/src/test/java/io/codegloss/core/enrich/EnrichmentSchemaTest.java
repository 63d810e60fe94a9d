package io.codegloss.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnrichmentSchemaTest {

  private final ObjectMapper mapper = new ObjectMapper();

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  @Test
  void theModelWritesProseOnly() throws Exception {
    JsonNode s = mapper.readTree(EnrichmentSchema.single());
    assertThat(texts(s.get("required")))
        .containsExactly("summary_120w", "pitfalls", "inputs", "outputs", "side_effects");
    assertThat(s.get("properties").has("evidence")).isFalse();
    assertThat(s.get("properties").has("usage_snippet")).isFalse();
    assertThat(s.get("properties").has("related_spans")).isFalse();
    assertThat(EnrichmentSchema.PROMPT_VERSION).isEqualTo(2);
    assertThat(EnrichmentSchema.SCHEMA_VERSION).isEqualTo(2);
  }

  @Test
  void singleSchemaRequiresEveryFieldWithTheSummaryFirst() throws Exception {
    JsonNode s = mapper.readTree(EnrichmentSchema.single());
    assertThat(texts(s.get("required"))).containsExactlyElementsOf(EnrichmentSchema.FIELDS);
    assertThat(s.get("properties").fieldNames().next()).isEqualTo("summary_120w");
    assertThat(s.get("additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void everyListAndStringIsBoundedSoASmallModelCannotRambleForever() throws Exception {
    JsonNode props = mapper.readTree(EnrichmentSchema.single()).get("properties");
    for (String list : EnrichmentSchema.STRING_LISTS) {
      assertThat(props.get(list).get("maxItems").asInt()).as(list).isBetween(1, 8);
      assertThat(props.get(list).get("items").get("maxLength").asInt()).as(list).isPositive();
    }
    assertThat(props.get("summary_120w").get("maxLength").asInt()).isEqualTo(900);
    assertThat(props.get("outputs").get("maxItems").asInt()).as("one return value").isEqualTo(1);
  }

  @Test
  void batchSchemaIsOneObjectWithExactlyNItemsIndexedByAnEnum() throws Exception {
    JsonNode b = mapper.readTree(EnrichmentSchema.batch(3));
    assertThat(b.get("type").asText()).isEqualTo("object");
    assertThat(texts(b.get("required"))).containsExactly("items");
    JsonNode items = b.get("properties").get("items");
    assertThat(items.get("type").asText()).isEqualTo("array");
    assertThat(items.get("minItems").asInt()).isEqualTo(3);
    assertThat(items.get("maxItems").asInt()).isEqualTo(3);
    JsonNode item = items.get("items");
    assertThat(item.get("properties").get("span_index").get("enum").toString())
        .isEqualTo("[1,2,3]");
    assertThat(item.get("properties").fieldNames().next()).isEqualTo("span_index");
    List<String> required = texts(item.get("required"));
    assertThat(required.get(0)).isEqualTo("span_index");
    assertThat(required.subList(1, required.size()))
        .containsExactlyElementsOf(EnrichmentSchema.FIELDS);
  }

  @Test
  void batchOfNoSpansIsRefused() {
    assertThatThrownBy(() -> EnrichmentSchema.batch(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thePromptExampleFollowsTheSchemaItTeaches() {
    var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (var facts :
        java.util.Arrays.asList(
            EnrichFixtures.SET_EMAIL_FACTS, EnrichFixtures.VALIDATE_EMAIL_FACTS, null)) {
      assertThat(
              factory.getSchema(EnrichmentSchema.single()).validate(EnrichmentExample.item(facts)))
          .isEmpty();
      var batch = mapper.createObjectNode();
      batch.putArray("items").add(EnrichmentExample.batchItem(1, facts));
      assertThat(factory.getSchema(EnrichmentSchema.batch(1)).validate(batch)).isEmpty();
    }
    assertThat(EnrichmentExample.item(EnrichFixtures.SET_EMAIL_FACTS).toString())
        .isEqualTo(
            "{\"summary_120w\":\""
                + EnrichmentExample.SUMMARY
                + "\",\"pitfalls\":[\"what can go"
                + " wrong\"],\"inputs\":[\"email: what it means\"],\"outputs\":[],"
                + "\"side_effects\":[\"self._email: why it happens\"]}");
    assertThat(EnrichmentExample.item(EnrichFixtures.VALIDATE_EMAIL_FACTS).get("outputs").size())
        .isEqualTo(1);
  }

  @Test
  void aStoredPayloadReadsBackToTheSameEnrichment() {
    // The stored payload keeps all eight fields (readers rely on them); only the model's part
    // shrank.
    Enrichment e =
        new Enrichment(
            "Sets the email after validation.",
            List.of("email: str"),
            List.of(),
            List.of("overwrites self._email"),
            List.of(),
            null,
            List.of(new Evidence("summary_120w", 13, 16)),
            List.of("validate_email"));
    assertThat(EnrichmentJson.fromJson(EnrichmentJson.toJson(e))).isEqualTo(e);
    assertThat(EnrichmentJson.toNode(e).has("related_spans")).isTrue();
  }
}
