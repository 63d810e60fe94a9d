package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.enrich.EnrichFixtures;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.Span;
import io.codegloss.worker.enrich.BatchParseResult;
import io.codegloss.worker.enrich.BatchParser;
import io.codegloss.worker.enrich.Prompt;
import io.codegloss.worker.enrich.PromptBuilder;
import io.codegloss.worker.enrich.SpanOutcome;
import io.codegloss.worker.testing.LlamaServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
  void theChatProsePromptGetsAnOutcomeForEverySpanWithinTheOutputCap() throws Exception {
    LlmBackend b = backend(Map.of());
    List<Span> spans = EnrichFixtures.USER_SPANS;
    Prompt p = PromptBuilder.batch(spans, EnrichFixtures.USER_FACTS, List.of());
    int cap = JobSizing.outputCap(spans.size());
    String schema = EnrichmentSchema.batch(spans.size());

    LlmResponse r;
    try {
      r = b.complete(new LlmRequest(p.system(), p.user(), schema, cap, Duration.ofMinutes(5)));
    } catch (PermanentException e) {
      // A 270M model may loop until the cap: the runner records that as a failure of each span.
      assertThat(e).hasMessageContaining("truncated");
      log.info("prose batch of {} truncated at the cap of {} tokens", spans.size(), cap);
      return;
    }
    BatchParseResult parsed = BatchParser.parse(r.text(), spans, EnrichFixtures.USER_FACTS);
    log.info(
        "prose batch: {} + {} tokens (cap {}), outcomes {}: {}",
        b.countTokens(p.system()) + b.countTokens(p.user()),
        r.completionTokens(),
        cap,
        parsed.outcomes().stream().map(o -> o.getClass().getSimpleName()).toList(),
        r.text());
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.completionTokens()).isLessThanOrEqualTo(cap);
    // Constrained decoding: the answer is the prose batch shape, and every span has an outcome.
    SchemaCheck.parsesAndMatches(r.text(), schema);
    assertThat(parsed.outcomes()).extracting(SpanOutcome::span).containsExactlyElementsOf(spans);
    assertThat(parsed.items()).isEqualTo(spans.size());
    for (SpanOutcome.Valid v : parsed.valid()) {
      assertThat(v.enrichment().evidence()).isEmpty();
      assertThat(v.enrichment().relatedSpans()).isEmpty();
    }
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
