package io.codegloss.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.config.Settings;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.DocCompletionParser;
import io.codegloss.worker.enrich.DocCompletionPrompt;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.TextRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures doc-comment continuations with the real default model (opt-in, minutes of CPU):
 *
 * <pre>
 * mvn -B -q -pl bench -am test -Dtest=DocCompletionMeasureTest -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dcodegloss.measure=true [-Dcodegloss.measure.repeats=3]
 * </pre>
 *
 * Spans come from pure-Python packages installed on this machine (jsonpointer, click, jinja2,
 * python-dateutil), read by {@code pyspans.py} with Python's own parser; each scored function's
 * docstring is hidden from its prompt and its first sentence is the reference. The report goes to
 * {@code bench/target/doc-completion-measure.md}.
 */
@EnabledIfSystemProperty(named = "codegloss.measure", matches = "true")
class DocCompletionMeasureTest {

  static final List<String> SPANS =
      List.of(
          "jsonpointer.py:resolve_pointer",
          "jsonpointer.py:pairwise",
          "jsonpointer.py:JsonPointer.to_last",
          "jsonpointer.py:JsonPointer.get_part",
          "jsonpointer.py:JsonPointer.join",
          "click/utils.py:safecall",
          "click/utils.py:make_str",
          "click/utils.py:get_binary_stream",
          "click/utils.py:get_text_stream",
          "jinja2/utils.py:open_if_exists",
          "jinja2/utils.py:object_type_repr",
          "jinja2/utils.py:url_quote",
          "dateutil/utils.py:today",
          "dateutil/utils.py:default_tzinfo",
          "dateutil/utils.py:within_delta");

  record Item(DocCompletionPrompt.Input input, String reference) {}

  record Result(String symbol, String text, String outcome, int completionTokens, long millis) {}

  record Run(String arrangement, List<Result> results, long millis) {}

  /**
   * @param perSpan one prompt per span, else one shared prefix per file
   * @param facts a facts comment above the repeated declaration
   * @param tight the prompt's full stop list (a sentence that ends its line ends the continuation),
   *     else without {@link DocCompletionPrompt#SENTENCE_END}
   */
  record Arrangement(String name, boolean perSpan, boolean facts, int cap, boolean tight) {}

  static final List<Arrangement> ARRANGEMENTS =
      List.of(
          new Arrangement("a per span", true, false, 48, false),
          new Arrangement("b file batch", false, false, 48, false),
          new Arrangement("c1 per span + facts", true, true, 48, false),
          new Arrangement("c2 per span, tight stop, cap 32", true, false, 32, true),
          new Arrangement("c3 per span + facts, tight stop, cap 32", true, true, 32, true),
          new Arrangement("c4 file batch + facts, tight stop, cap 32", false, true, 32, true));

  final StringBuilder report = new StringBuilder();

  @Test
  void measuresTheArrangementsOfDocCompletionPrompts() throws Exception {
    Path root = sitePackages();
    List<Item> items = load(root);
    int repeats = Integer.getInteger("codegloss.measure.repeats", 3);
    Path model =
        Path.of(
            System.getProperty("user.home"), ".codegloss", "models", "gemma-3-270m-q4_k_m.gguf");
    LlmBackend backend =
        LlmBackends.create(
            Settings.of(Map.of("CODEGLOSS_MODEL_PATH", model.toString())),
            Path.of(System.getProperty("user.home"), ".codegloss"));
    say("# Doc-comment continuations, " + backend.model() + "\n");
    say("load before: " + uptime());
    say("spans: " + items.size() + " from " + root + "; repeats " + repeats);

    cacheCheck(backend, items);

    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int r = 0; r < repeats; r++) {
      for (Arrangement arrangement : ARRANGEMENTS) {
        Run run = run(arrangement, backend, items);
        runs.computeIfAbsent(arrangement.name(), k -> new ArrayList<>()).add(run);
        say(
            String.format(
                Locale.ROOT,
                "  repeat %d %s: %.1f s",
                r + 1,
                arrangement.name(),
                run.millis() / 1000.0));
      }
    }
    say("load after: " + uptime());

    say(
        "\n| arrangement | total s (median) | s/span | completion tokens/span | ROUGE-L | BLEU-4 x100 | refused |");
    say("| --- | --- | --- | --- | --- | --- | --- |");
    for (var e : runs.entrySet()) {
      List<Run> rs = e.getValue();
      long[] totals = rs.stream().mapToLong(Run::millis).sorted().toArray();
      double median = totals[totals.length / 2] / 1000.0;
      Run first = rs.get(0);
      double rouge = 0;
      double bleu = 0;
      double tokens = 0;
      int refused = 0;
      for (int i = 0; i < items.size(); i++) {
        Result res = first.results().get(i);
        rouge += SummaryScores.rougeL(res.text(), items.get(i).reference());
        bleu += SummaryScores.bleu4(res.text(), items.get(i).reference());
        tokens += res.completionTokens();
        refused += res.outcome().startsWith("Refused") ? 1 : 0;
      }
      int n = items.size();
      say(
          String.format(
              Locale.ROOT,
              "| %s | %.1f (%s) | %.2f | %.1f | %.3f | %.2f | %d |",
              e.getKey(),
              median,
              Arrays.toString(
                  Arrays.stream(totals)
                      .mapToObj(t -> String.format(Locale.ROOT, "%.1f", t / 1000.0))
                      .toArray()),
              median / n,
              tokens / n,
              rouge / n,
              100 * bleu / n,
              refused));
    }
    double rouge = 0;
    double bleu = 0;
    for (Item it : items) {
      String base = SummaryScores.nameBaseline(it.input().span().name());
      rouge += SummaryScores.rougeL(base, it.reference());
      bleu += SummaryScores.bleu4(base, it.reference());
    }
    say(
        String.format(
            Locale.ROOT,
            "| name-words baseline | - | - | - | %.3f | %.2f | - |",
            rouge / items.size(),
            100 * bleu / items.size()));

    say("\n## Outputs (first repeat)\n");
    for (int i = 0; i < items.size(); i++) {
      say(
          "- `"
              + items.get(i).input().span().symbol()
              + "` reference: "
              + items.get(i).reference());
      for (var e : runs.entrySet()) {
        Result res = e.getValue().get(0).results().get(i);
        say(
            "  - "
                + e.getKey()
                + " ("
                + res.completionTokens()
                + " tok, "
                + res.millis()
                + " ms): "
                + res.outcome());
      }
    }
    Path out =
        Path.of(
            System.getProperty("codegloss.repoRoot", ".."),
            "bench",
            "target",
            "doc-completion-measure.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    assertThat(runs).hasSize(ARRANGEMENTS.size());
  }

  /** Does llama.cpp reuse the KV cache of a shared prefix? Same prefix twice vs a fresh one. */
  void cacheCheck(LlmBackend backend, List<Item> items) {
    StringBuilder a = new StringBuilder("# shared prefix\n");
    StringBuilder b = new StringBuilder("# other prefix\n");
    int i = 0;
    while (backend.countTokens(a.toString()) < 1500) {
      a.append(items.get(i % items.size()).input().span().code()).append("\n\n");
      b.append(items.get((i + 7) % items.size()).input().span().code().replace("self", "this"))
          .append("\n\n");
      i++;
    }
    TextRequest first =
        new TextRequest(a + "def first():\n    \"\"\"", 8, List.of(), Duration.ofMinutes(5));
    TextRequest second =
        new TextRequest(a + "def second():\n    \"\"\"", 8, List.of(), Duration.ofMinutes(5));
    TextRequest cold =
        new TextRequest(b + "def second():\n    \"\"\"", 8, List.of(), Duration.ofMinutes(5));
    backend.continueText(first);
    LlmResponse warm = backend.continueText(second);
    LlmResponse fresh = backend.continueText(cold);
    say(
        String.format(
            Locale.ROOT,
            "KV cache: %d-token prompt sharing its prefix with the call before: %d ms; a fresh %d-token prompt: %d ms",
            warm.promptTokens(),
            warm.wallMillis(),
            fresh.promptTokens(),
            fresh.wallMillis()));
  }

  Run run(Arrangement a, LlmBackend backend, List<Item> items) {
    long start = System.nanoTime();
    List<Result> results = new ArrayList<>();
    int max = backend.contextWindow() - a.cap();
    List<List<Item>> batches = new ArrayList<>();
    if (a.perSpan()) {
      items.forEach(it -> batches.add(List.of(it)));
    } else {
      Map<String, List<Item>> byFile = new LinkedHashMap<>();
      for (Item it : items) {
        byFile.computeIfAbsent(it.input().span().path(), k -> new ArrayList<>()).add(it);
      }
      batches.addAll(byFile.values());
    }
    for (List<Item> batch : batches) {
      DocCompletionPrompt.Batch b =
          DocCompletionPrompt.build(
              batch.stream().map(Item::input).toList(), backend::countTokens, max, a.facts());
      assertThat(b.deferred()).isEmpty();
      for (int i = 0; i < b.spans().size(); i++) {
        results.add(continueOne(backend, b, i, a));
      }
    }
    return new Run(a.name(), results, (System.nanoTime() - start) / 1_000_000);
  }

  Result continueOne(LlmBackend backend, DocCompletionPrompt.Batch b, int i, Arrangement a) {
    DocCompletionPrompt.SpanPrompt sp = b.spans().get(i);
    String prompt = b.prompt(i);
    List<String> stop =
        a.tight()
            ? sp.stop()
            : sp.stop().stream().filter(x -> !x.equals(DocCompletionPrompt.SENTENCE_END)).toList();
    LlmResponse r =
        backend.continueText(new TextRequest(prompt, a.cap(), stop, Duration.ofMinutes(5)));
    DocCompletionParser.Outcome o =
        DocCompletionParser.parse(r.text(), r.finishReason().equals("length"), sp, prompt);
    String text = "";
    if (o instanceof DocCompletionParser.Summary s) {
      text = s.text();
    } else if (o instanceof DocCompletionParser.SameAsDocstring d) {
      text = SummaryScores.firstSentence(d.docstring());
    }
    return new Result(
        sp.span().symbol(),
        text,
        o.toString(),
        r.completionTokens() == null ? 0 : r.completionTokens(),
        r.wallMillis());
  }

  static Path sitePackages() throws IOException, InterruptedException {
    String p = System.getProperty("codegloss.measure.site");
    if (p != null) {
      return Path.of(p);
    }
    Process proc =
        new ProcessBuilder(
                "python3",
                "-c",
                "import jsonpointer,os;print(os.path.dirname(jsonpointer.__file__))")
            .redirectErrorStream(true)
            .start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(proc.waitFor()).as(out).isZero();
    return Path.of(out);
  }

  static List<Item> load(Path root) throws IOException, InterruptedException {
    Path script = Files.createTempFile("pyspans", ".py");
    try (InputStream in =
        DocCompletionMeasureTest.class.getResourceAsStream("/quality/pyspans.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), root.toString()));
    cmd.addAll(SPANS);
    Process proc = new ProcessBuilder(cmd).start();
    byte[] json = proc.getInputStream().readAllBytes();
    String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor()).as(err).isZero();
    Files.delete(script);
    List<Item> items = new ArrayList<>();
    long id = 1;
    for (JsonNode n : new ObjectMapper().readTree(json)) {
      String code = n.path("code").asText();
      Span span =
          new Span(
              id++,
              1,
              1,
              n.path("path").asText(),
              "python",
              n.path("kind").asText().equals("method") ? SpanKind.METHOD : SpanKind.FUNCTION,
              n.path("name").asText(),
              n.path("symbol").asText(),
              null,
              n.path("start").asInt(),
              n.path("end").asInt(),
              0,
              code.length(),
              null,
              null,
              code,
              "h" + id,
              code.length() / 3);
      List<SpanFacts.Call> calls = new ArrayList<>();
      for (JsonNode c : n.path("calls")) {
        calls.add(
            new SpanFacts.Call(
                c.path("name").asText(),
                c.path("receiver").isNull() ? null : c.path("receiver").asText(),
                c.path("line").asInt()));
      }
      List<SpanFacts.Raise> raises = new ArrayList<>();
      for (JsonNode r : n.path("raises")) {
        raises.add(new SpanFacts.Raise(r.path("name").asText(), r.path("line").asInt()));
      }
      String doc = n.path("docstring").asText();
      SpanFacts facts =
          new SpanFacts(
              null,
              List.of(),
              n.path("returnType").isNull() ? null : n.path("returnType").asText(),
              List.of(),
              raises,
              doc,
              new SpanFacts.LineRange(n.path("docStart").asInt(), n.path("docEnd").asInt()),
              calls,
              List.of());
      items.add(
          new Item(new DocCompletionPrompt.Input(span, facts), SummaryScores.firstSentence(doc)));
    }
    return items;
  }

  static String uptime() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  void say(String line) {
    System.out.println(line);
    report.append(line).append('\n');
  }
}
