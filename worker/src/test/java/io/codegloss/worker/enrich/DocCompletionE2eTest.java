package io.codegloss.worker.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.config.Settings;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.DocCompletionParser.Outcome;
import io.codegloss.worker.enrich.DocCompletionParser.Summary;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.LlmSettings;
import io.codegloss.worker.llm.PromptShape;
import io.codegloss.worker.llm.TextRequest;
import io.codegloss.worker.testing.LlamaServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The completion shape with the real default model (the base Gemma 3 270M). */
@Tag("e2e")
class DocCompletionE2eTest {

  private static final Logger log = LoggerFactory.getLogger(DocCompletionE2eTest.class);

  static final String CODE =
      "def celsius_to_fahrenheit(celsius):\n"
          + "    \"\"\"Convert a temperature from degrees Celsius to degrees Fahrenheit.\"\"\"\n"
          + "    return celsius * 9 / 5 + 32";

  static Map<String, String> settings;
  static LlmBackend backend;

  @BeforeAll
  static void loadTheModel() {
    Path model = LlamaServerProcess.requireModel();
    settings = Map.of("CODEGLOSS_MODEL_PATH", model.toString());
    backend = LlmBackends.create(Settings.of(settings), LlamaServerProcess.codeglossHome());
  }

  @Test
  void theDefaultModelIsABaseModelAndGetsTheCompletionShape() {
    LlmSettings s = LlmSettings.from(Settings.of(settings), LlamaServerProcess.codeglossHome());

    assertThat(PromptShape.resolve(s)).isEqualTo(PromptShape.COMPLETION);
  }

  @Test
  void aSmallDocumentedPythonFunctionGetsAValidSummaryInTheModelsOwnWords() {
    Span span =
        DocSpans.span(
            "temperature.py",
            "python",
            SpanKind.FUNCTION,
            "celsius_to_fahrenheit",
            1,
            "def celsius_to_fahrenheit(celsius):",
            CODE);
    DocCompletionPrompt.Batch b =
        DocCompletionPrompt.build(
            List.of(new DocCompletionPrompt.Input(span, null)), backend::countTokens, 8000);
    DocCompletionPrompt.SpanPrompt sp = b.spans().get(0);

    LlmResponse r =
        backend.continueText(new TextRequest(b.prompt(0), 32, sp.stop(), Duration.ofMinutes(2)));
    Outcome o =
        DocCompletionParser.parse(r.text(), r.finishReason().equals("length"), sp, b.prompt(0));

    log.info(
        "continuation in {} ms, {} + {} tokens ({}): {} -> {}",
        r.wallMillis(),
        r.promptTokens(),
        r.completionTokens(),
        r.finishReason(),
        r.text(),
        o);
    assertThat(b.prompt(0)).doesNotContain("degrees Celsius to degrees");
    assertThat(r.completionTokens()).isPositive().isLessThanOrEqualTo(32);
    assertThat(o).isInstanceOf(Summary.class);
    String summary = ((Summary) o).text();
    assertThat(summary.split(" ")).hasSizeBetween(2, DocCompletionParser.MAX_WORDS);
    assertThat(summary.toLowerCase()).containsAnyOf("celsius", "fahrenheit", "temperature");
  }

  @Test
  void aContinuationThatReachesTheCapIsReturnedAsLengthNotThrown() {
    LlmResponse r =
        backend.continueText(
            new TextRequest(
                "# notes.py\n\ndef f():\n    \"\"\"", 3, List.of(), Duration.ofMinutes(1)));

    assertThat(r.finishReason()).isEqualTo("length");
    assertThat(r.completionTokens()).isEqualTo(3);
  }

  @Test
  void consecutiveContinuationsThatShareAPrefixReuseItsCache() {
    StringBuilder prefix = new StringBuilder("# shared.py\n");
    for (int i = 0; i < 100; i++) {
      prefix.append("def f").append(i).append("(x):\n    return x * ").append(i).append("\n\n");
    }
    TextRequest first =
        new TextRequest(prefix + "def g(x):\n    \"\"\"", 4, List.of(), Duration.ofMinutes(2));
    TextRequest second =
        new TextRequest(prefix + "def h(x):\n    \"\"\"", 4, List.of(), Duration.ofMinutes(2));
    LlmResponse cold = backend.continueText(first);
    LlmResponse warm = backend.continueText(second);

    log.info(
        "{} prompt tokens: cold {} ms, warm {} ms",
        cold.promptTokens(),
        cold.wallMillis(),
        warm.wallMillis());
    assertThat(cold.promptTokens()).isGreaterThan(1000);
    assertThat(warm.wallMillis()).isLessThan(cold.wallMillis() / 2);
  }
}
