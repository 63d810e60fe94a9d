package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/** Parses a model's answer and validates it against the schema it was constrained by. */
final class SchemaCheck {

  /** A small enrichment-like schema with bounded lengths, so a tiny model cannot ramble on. */
  static final String NOTE_SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"summary\":{\"type\":\"string\",\"minLength\":10,\"maxLength\":120},"
          + "\"inputs\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":20},"
          + "\"maxItems\":3},"
          + "\"pure\":{\"type\":\"boolean\"}},"
          + "\"required\":[\"summary\",\"inputs\",\"pure\"],\"additionalProperties\":false}";

  static final String SYSTEM =
      "You document source code. Answer with one JSON object: summary (one sentence), inputs"
          + " (parameter names), pure (true when the function has no side effects).";

  static final String CODE =
      "def add_tax(price, rate):\n    \"\"\"Return the price with tax added.\"\"\"\n"
          + "    return round(price * (1 + rate), 2)\n";

  private SchemaCheck() {}

  static JsonNode parsesAndMatches(String text, String schema) throws Exception {
    JsonNode node = Json.MAPPER.readTree(text);
    Set<ValidationMessage> errors =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(schema)
            .validate(node);
    assertThat(errors).as("schema violations of %s", text).isEmpty();
    return node;
  }
}
