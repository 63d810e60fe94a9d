package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.span.TokenEstimate;
import io.codegloss.worker.testing.LlamaServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded backend with the real default model (Gemma 3 270M). */
@Tag("e2e")
class EmbeddedBackendE2eTest {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBackendE2eTest.class);
  static LlmBackend backend;

  @BeforeAll
  static void loadTheModel() {
    Path model = LlamaServerProcess.requireModel();
    backend =
        LlmBackends.create(
            Settings.of(Map.of("CODEGLOSS_MODEL_PATH", model.toString())),
            LlamaServerProcess.codeglossHome());
  }

  static LlmRequest note(int cap) {
    return new LlmRequest(
        SchemaCheck.SYSTEM, SchemaCheck.CODE, SchemaCheck.NOTE_SCHEMA, cap, Duration.ofMinutes(2));
  }

  @Test
  void theConstrainedAnswerIsJsonThatMatchesTheSchema() throws Exception {
    LlmResponse r = backend.complete(note(400));

    JsonNode node = SchemaCheck.parsesAndMatches(r.text(), SchemaCheck.NOTE_SCHEMA);
    log.info(
        "embedded answer in {} ms, {} + {} tokens: {}",
        r.wallMillis(),
        r.promptTokens(),
        r.completionTokens(),
        node);
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.promptTokens()).isGreaterThan(backend.countTokens(SchemaCheck.CODE));
    assertThat(r.completionTokens()).isPositive().isLessThan(400);
    assertThat(backend.model()).isEqualTo("gemma-3-270m-q4_k_m");
  }

  @Test
  void wrapsThePromptInGemmasTurnsOrElseInTheTemplateOfTheGguf() {
    LlmRequest r = note(100);
    EmbeddedBackend gemma = (EmbeddedBackend) backend;
    EmbeddedBackend own =
        (EmbeddedBackend)
            LlmBackends.create(
                Settings.of(
                    Map.of(
                        "CODEGLOSS_MODEL_PATH",
                        LlamaServerProcess.requireModel().toString(),
                        "CODEGLOSS_CHAT_TEMPLATE",
                        "model")),
                LlamaServerProcess.codeglossHome());

    assertThat(gemma.prompt(r))
        .startsWith("<start_of_turn>user\n" + SchemaCheck.SYSTEM + "\n\n")
        .endsWith("<end_of_turn>\n<start_of_turn>model\n");
    // this GGUF carries no template of its own, so llama.cpp falls back to ChatML
    assertThat(own.prompt(r))
        .contains(SchemaCheck.SYSTEM)
        .contains(SchemaCheck.CODE)
        .contains("<|im_start|>assistant");
  }

  @Test
  void anAnswerThatReachesTheOutputCapIsATruncationFailure() {
    assertThatThrownBy(() -> backend.complete(note(5)))
        .isInstanceOf(PermanentException.class)
        .hasMessage("embedded: answer truncated at 5 tokens");
  }

  @Test
  void aPromptLargerThanTheContextIsRefusedBeforeGenerating() {
    String huge = SchemaCheck.CODE.repeat(400);
    LlmRequest r =
        new LlmRequest(
            SchemaCheck.SYSTEM, huge, SchemaCheck.NOTE_SCHEMA, 300, Duration.ofMinutes(1));

    long start = System.nanoTime();
    assertThatThrownBy(() -> backend.complete(r))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("exceeds the context window of 8192");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void countsTokensExactlyAndTheHttpEstimateNeverUndercounts() throws Exception {
    assertThat(backend.exactTokenCounts()).isTrue();
    assertThat(backend.countTokens("hello world")).isBetween(1, 4);
    Path root = Path.of(System.getProperty("codegloss.repoRoot", "..")).toAbsolutePath();
    for (String f :
        List.of(
            "worker/src/main/java/io/codegloss/worker/llm/HttpTransport.java",
            "worker/src/main/java/io/codegloss/worker/llm/OpenAiBackend.java",
            "scripts/fetch-model.sh",
            "pom.xml")) {
      String text = Files.readString(root.resolve(f));
      int exact = backend.countTokens(text);
      int estimate = TokenEstimate.conservative(text);
      log.info("{}: {} tokens, estimated {}", f, exact, estimate);
      assertThat(estimate).as("estimate for %s", f).isGreaterThanOrEqualTo(exact);
    }
  }

  @Test
  void concurrentCallersTakeTurnsOnTheOneModel() throws Exception {
    CompletableFuture<LlmResponse> a =
        CompletableFuture.supplyAsync(() -> backend.complete(note(400)));
    CompletableFuture<LlmResponse> b =
        CompletableFuture.supplyAsync(() -> backend.complete(note(400)));

    SchemaCheck.parsesAndMatches(a.get().text(), SchemaCheck.NOTE_SCHEMA);
    SchemaCheck.parsesAndMatches(b.get().text(), SchemaCheck.NOTE_SCHEMA);
  }

  @Test
  void aCallerThatCannotGetTheModelInTimeFailsAsRetryable() throws Exception {
    EmbeddedModel model = ((EmbeddedBackend) backend).model;
    model.slots.acquire();
    try {
      LlmRequest r =
          new LlmRequest(
              SchemaCheck.SYSTEM,
              SchemaCheck.CODE,
              SchemaCheck.NOTE_SCHEMA,
              100,
              Duration.ofMillis(300));
      assertThatThrownBy(() -> backend.complete(r))
          .isInstanceOf(RetryableException.class)
          .hasMessage("embedded: the model stayed busy for 300 ms");
    } finally {
      model.slots.release();
    }
  }
}
