package io.codegloss.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The SDK's schema validator interface over the json-schema-validator that core already uses
 * (1.5.x): the SDK's own validator needs 2.x, and one jar cannot hold both.
 */
final class SchemaValidator implements JsonSchemaValidator {

  private final ObjectMapper mapper;
  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  // tool schemas are few and fixed: compile each once
  private final Map<Map<String, Object>, JsonSchema> compiled = new ConcurrentHashMap<>();

  SchemaValidator(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
    try {
      JsonSchema s =
          compiled.computeIfAbsent(schema, k -> factory.getSchema(mapper.valueToTree(k)));
      JsonNode node =
          structuredContent instanceof String text
              ? mapper.readTree(text)
              : mapper.valueToTree(structuredContent);
      Set<ValidationMessage> errors = s.validate(node);
      if (errors.isEmpty()) {
        return ValidationResponse.asValid(mapper.writeValueAsString(node));
      }
      return ValidationResponse.asInvalid(
          errors.stream()
              .map(ValidationMessage::getMessage)
              .sorted()
              .collect(Collectors.joining("; ")));
    } catch (Exception e) {
      return ValidationResponse.asInvalid("cannot validate: " + e.getMessage());
    }
  }
}
