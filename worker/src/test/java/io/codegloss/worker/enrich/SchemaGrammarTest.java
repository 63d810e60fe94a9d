package io.codegloss.worker.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.LlamaModel;
import io.codegloss.core.enrich.EnrichmentSchema;
import org.junit.jupiter.api.Test;

/**
 * The schemas must be accepted by llama.cpp's json-schema-to-grammar (the embedded backend, and
 * Ollama's format, use it). Needs only the native library, no model.
 */
class SchemaGrammarTest {

  @Test
  void llamaCppTurnsTheSingleSchemaIntoAGrammar() {
    String grammar = LlamaModel.jsonSchemaToGrammar(EnrichmentSchema.single());
    assertThat(grammar).contains("root ::=").contains("summary_120w").contains("side_effects");
    assertThat(grammar).doesNotContain("related_spans").doesNotContain("evidence");
  }

  @Test
  void llamaCppTurnsBatchSchemasIntoGrammarsWithTheIndexEnum() {
    for (int n : new int[] {1, 3, 12}) {
      String grammar = LlamaModel.jsonSchemaToGrammar(EnrichmentSchema.batch(n));
      assertThat(grammar).as("batch of %d", n).contains("root ::=").contains("span_index");
      assertThat(grammar).contains("\"" + n + "\"");
    }
  }
}
