package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void escapesARawNewlineInsideAStringSoThatTheAnswerParses() throws Exception {
    String raw = "{ \"summary\": \"first line\nsecond\tline\", \"n\": 1 }";

    String fixed = JsonText.escapeControlCharsInStrings(raw);

    assertThat(Json.MAPPER.readTree(fixed).path("summary").asText())
        .isEqualTo("first line\nsecond\tline");
  }

  @Test
  void leavesWhitespaceBetweenValuesAndEscapedQuotesAlone() {
    String valid = "{\n  \"a\": \"say \\\"hi\\\"\\n\",\n  \"b\": [\"x\"]\n}";

    assertThat(JsonText.escapeControlCharsInStrings(valid)).isSameAs(valid);
  }
}
