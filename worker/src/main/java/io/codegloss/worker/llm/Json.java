package io.codegloss.worker.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.error.PermanentException;

/** The package's one ObjectMapper and the schema parsing every backend needs. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode schema(String backend, String jsonSchema) {
    try {
      JsonNode n = MAPPER.readTree(jsonSchema);
      if (n == null || !n.isObject()) {
        throw new PermanentException(backend + ": the JSON schema is not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new PermanentException(
          backend + ": the JSON schema is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String write(Object tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
