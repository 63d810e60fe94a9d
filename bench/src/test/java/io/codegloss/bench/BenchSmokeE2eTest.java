package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.testing.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark in small, as CI runs it: six spans of the default corpus batched with the real
 * model (a couple of real calls), and the queue with one and two worker processes against the
 * fixed-latency endpoint. The full run is {@code bench/run.sh}.
 */
@Tag("e2e")
class BenchSmokeE2eTest {

  static Path model() {
    String home = System.getenv("CODEGLOSS_HOME");
    Path base =
        home == null ? Path.of(System.getProperty("user.home"), ".codegloss") : Path.of(home);
    Path model = base.resolve("models/gemma-3-270m-q4_k_m.gguf");
    if (!Files.isRegularFile(model)) {
      throw new AssertionError(
          "the default model is missing at " + model + ": run scripts/fetch-model.sh");
    }
    return model;
  }

  @Test
  void measuresBatchedEnrichmentAndQueueScalingAndWritesTheReport(@TempDir Path dir)
      throws Exception {
    try (TestDatabase db = TestDatabase.fresh()) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(db.childEnvironment());
      env.put("CODEGLOSS_HOME", dir.resolve("home").toString());
      env.put("CODEGLOSS_MODEL_PATH", model().toString());
      // a span that fails once is final: keeps the smoke run short whatever the model writes
      env.put("CODEGLOSS_RETRY_MAX_ATTEMPTS", "1");
      Path out = dir.resolve("report");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();

      int code =
          Bench.run(
              BenchOptionsTest.parse(
                  "--limit",
                  "6",
                  "--modes",
                  "batch",
                  "--workers",
                  "1,2",
                  "--latency-ms",
                  "400",
                  "--real-scaling-limit",
                  "0",
                  "--quality",
                  "docstrings",
                  "--json",
                  "--output",
                  out.toString()),
              env,
              new PrintStream(stdout, true, StandardCharsets.UTF_8),
              new PrintStream(stderr, true, StandardCharsets.UTF_8));

      String progress = stderr.toString(StandardCharsets.UTF_8);
      assertThat(code).as(progress).isZero();
      JsonNode report = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));
      JsonNode batch = report.path("modes").path("batch");
      assertThat(batch.path("spans").asInt()).isEqualTo(6);
      assertThat(batch.path("spans_lost").asInt()).isZero();
      assertThat(batch.path("calls").asInt()).isPositive();
      assertThat(batch.path("spans_enriched").asInt() + batch.path("spans_failed").asInt())
          .isEqualTo(6);
      assertThat(batch.path("backend").asText()).contains("gemma-3-270m");
      assertThat(batch.path("cost").path("tokenizer").asText()).isEqualTo("model");
      // not above 1: completion prompts stop at 384 tokens (daffe26), so a large span's code is
      // not all processed and a run can cost less than the floor of reading every span once
      assertThat(batch.path("cost").path("times_floor").asDouble()).isPositive();
      // bisect.py's functions are documented: the prose is scored against their docstrings
      JsonNode docstrings = batch.path("quality").path("docstrings");
      assertThat(docstrings.path("spans").asInt()).as(docstrings.toString()).isPositive();
      for (String key : new String[] {"rouge_l", "bleu4", "baseline_rouge_l", "baseline_bleu4"}) {
        assertThat(docstrings.path(key).isNumber()).as(key).isTrue();
        assertThat(docstrings.path(key).asDouble()).as(key).isBetween(0.0, 1.0);
      }
      assertThat(docstrings.path("missing").asInt()).isBetween(0, docstrings.path("spans").asInt());

      JsonNode fixed = report.path("queue_scaling").path("fixed_latency");
      assertThat(fixed.path("label").asText()).contains("FIXED-LATENCY ENDPOINT");
      assertThat(fixed.path("points")).hasSize(2);
      for (JsonNode p : fixed.path("points")) {
        assertThat(p.path("spans_lost").asInt()).isZero();
        assertThat(p.path("final_valid_rate").asDouble()).isEqualTo(1.0);
        assertThat(p.path("spans_per_minute").asDouble()).isPositive();
      }

      assertThat(Files.readString(out.resolve("report.md")))
          .contains("## Queue scaling: FIXED-LATENCY ENDPOINT (no model), 400 ms per call")
          .contains("| batch |")
          .contains("## Prose against the docstrings (--quality docstrings)");
      for (String png : new String[] {"modes.png", "scaling.png"}) {
        BufferedImage img = ImageIO.read(out.resolve(png).toFile());
        assertThat(img.getWidth()).as(png).isGreaterThan(400);
      }
      assertThat(progress).contains("bench [batch]").contains("bench [fixed-latency-2w]");
    }
  }
}
