package io.codegloss.core.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** The JSON stored in span_facts.facts and file_imports.imports. */
final class FactsJson {

  private static final ObjectMapper MAPPER = mapper();
  private static final TypeReference<List<FileImport>> IMPORTS = new TypeReference<>() {};

  private FactsJson() {}

  private static ObjectMapper mapper() {
    SimpleModule kinds = new SimpleModule();
    // SideEffectKind is stored by its name in lower case, as its javadoc promises readers.
    kinds.addSerializer(
        SideEffectKind.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(SideEffectKind k, JsonGenerator g, SerializerProvider p)
              throws IOException {
            g.writeString(k.name().toLowerCase(Locale.ROOT));
          }
        });
    kinds.addDeserializer(
        SideEffectKind.class,
        new JsonDeserializer<>() {
          @Override
          public SideEffectKind deserialize(JsonParser p, DeserializationContext c)
              throws IOException {
            return SideEffectKind.valueOf(p.getValueAsString().toUpperCase(Locale.ROOT));
          }
        });
    return new ObjectMapper()
        .registerModule(kinds)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("facts do not serialize", e);
    }
  }

  static SpanFacts readFacts(String json) {
    try {
      return MAPPER.readValue(json, SpanFacts.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored facts do not parse", e);
    }
  }

  static List<FileImport> readImports(String json) {
    try {
      return MAPPER.readValue(json, IMPORTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored imports do not parse", e);
    }
  }
}
