package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import io.codegloss.worker.testing.LlamaServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The OpenAI-compatible backend against a real llama-cpp-python server with the default model. */
@Tag("e2e")
class OpenAiBackendE2eTest {

  private static final Logger log = LoggerFactory.getLogger(OpenAiBackendE2eTest.class);
  static LlamaServerProcess server;

  @BeforeAll
  static void startServer() {
    server = LlamaServerProcess.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static LlmBackend backend(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("CODEGLOSS_BACKEND", "openai");
    m.put("OPENAI_BASE_URL", server.baseUrl());
    m.putAll(extra);
    return LlmBackends.create(Settings.of(m), Path.of("/nonexistent-home"));
  }

  static LlmRequest note(int cap) {
    return new LlmRequest(
        SchemaCheck.SYSTEM, SchemaCheck.CODE, SchemaCheck.NOTE_SCHEMA, cap, Duration.ofMinutes(5));
  }

  @Test
  void theConstrainedAnswerIsJsonThatMatchesTheSchema() throws Exception {
    LlmBackend b = backend(Map.of());

    LlmResponse r = b.complete(note(300));

    JsonNode node = SchemaCheck.parsesAndMatches(r.text(), SchemaCheck.NOTE_SCHEMA);
    log.info(
        "server answer in {} ms after {} attempt(s), {} + {} tokens: {}",
        r.wallMillis(),
        r.attempts(),
        r.promptTokens(),
        r.completionTokens(),
        node);
    assertThat(b.model()).isEqualTo(LlamaServerProcess.MODEL_ALIAS);
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.promptTokens()).isPositive();
    assertThat(r.completionTokens()).isPositive();
  }

  @Test
  void countsTokensWithTheServersTokenizer() {
    LlmBackend b = backend(Map.of());

    assertThat(b.exactTokenCounts()).isTrue();
    // llama-cpp-python counts the BOS token too
    assertThat(b.countTokens("hello world")).isBetween(2, 5);
  }

  @Test
  void anAnswerThatReachesTheOutputCapIsATruncationFailure() {
    assertThatThrownBy(() -> backend(Map.of()).complete(note(5)))
        .isInstanceOf(PermanentException.class)
        .hasMessage("openai: answer truncated at 5 tokens");
  }

  @Test
  void thePromptTooLongForTheServersContextIsAPermanentFailure() {
    // claim a larger window than the server has, so that the server is the one to refuse
    LlmBackend b = backend(Map.of("CODEGLOSS_CONTEXT", "100000"));
    String huge = SchemaCheck.CODE.repeat(400);
    LlmRequest r =
        new LlmRequest(
            SchemaCheck.SYSTEM, huge, SchemaCheck.NOTE_SCHEMA, 300, Duration.ofMinutes(1));

    assertThatThrownBy(() -> b.complete(r))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("context overflow");
  }
}
