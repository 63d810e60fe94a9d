package io.codegloss.bench.quality;

import io.codegloss.core.config.Settings;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.DocCompletionParser;
import io.codegloss.worker.enrich.DocCompletionPrompt;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.TextRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the base model writes into a Javadoc opened after a method's code, with and without the
 * method's name as the opener's first word (opt-in: -Dcodegloss.measure=true). Prints only.
 */
@EnabledIfSystemProperty(named = "codegloss.measure", matches = "true")
class JavadocLayoutProbeTest {

  static final List<String[]> METHODS =
      List.of(
          new String[] {
            "isBlank",
            "public static boolean isBlank(String s) {\n"
                + "    return s == null || s.trim().isEmpty();\n  }"
          },
          new String[] {
            "readLines",
            "public static List<String> readLines(Path file) throws IOException {\n"
                + "    try (BufferedReader r = Files.newBufferedReader(file)) {\n"
                + "      List<String> out = new ArrayList<>();\n"
                + "      for (String l = r.readLine(); l != null; l = r.readLine()) {\n"
                + "        out.add(l);\n      }\n      return out;\n    }\n  }"
          },
          new String[] {
            "clamp",
            "public static int clamp(int value, int min, int max) {\n"
                + "    return Math.max(min, Math.min(max, value));\n  }"
          });

  @Test
  void printsWhatTheModelWritesForEachLayout() {
    Path home = Path.of(System.getProperty("user.home"), ".codegloss");
    LlmBackend backend =
        LlmBackends.create(
            Settings.of(
                Map.of(
                    "CODEGLOSS_MODEL_PATH",
                    home.resolve("models/gemma-3-270m-q4_k_m.gguf").toString())),
            home);
    for (String[] m : METHODS) {
      Span span =
          new Span(
              1,
              1,
              1,
              "src/Util.java",
              "java",
              SpanKind.METHOD,
              m[0],
              "Util." + m[0],
              null,
              10,
              20,
              0,
              m[1].length(),
              null,
              null,
              m[1],
              "h",
              10);
      DocCompletionPrompt.Batch b =
          DocCompletionPrompt.build(
              List.of(new DocCompletionPrompt.Input(span, null)), backend::countTokens, 4000);
      DocCompletionPrompt.SpanPrompt sp = b.spans().get(0);
      // the layouts tried before settling on DocCompletionPrompt's "name() -" opener
      Map<String, String> layouts = new java.util.LinkedHashMap<>();
      layouts.put("production (name() -)", b.prompt(0));
      layouts.put("plain /** *", b.prefix() + "\n/**\n *");
      layouts.put("plain /** * with a trailing space", b.prefix() + "\n/**\n * ");
      layouts.put("name", b.prefix() + "\n/**\n * " + m[0]);
      layouts.put("name and a trailing space", b.prefix() + "\n/**\n * " + m[0] + " ");
      layouts.put("name()", b.prefix() + "\n/**\n * " + m[0] + "()");
      layouts.put("@summary", b.prefix() + "\n/**\n * @summary");
      layouts.put("go style // name", b.prefix() + "\n// " + m[0]);
      for (var e : layouts.entrySet()) {
        LlmResponse r =
            backend.continueText(
                new TextRequest(e.getValue(), 32, sp.stop(), Duration.ofMinutes(2)));
        DocCompletionParser.Outcome o =
            DocCompletionParser.parse(
                r.text(), r.finishReason().equals("length"), sp, e.getValue());
        System.out.printf(
            "%s | %s | %s | %s%n", m[0], e.getKey(), r.text().replace("\n", "\\n"), o);
      }
    }
  }
}
