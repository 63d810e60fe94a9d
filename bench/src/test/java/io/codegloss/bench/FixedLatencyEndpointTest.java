package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.BatchParseResult;
import io.codegloss.worker.enrich.BatchParser;
import io.codegloss.worker.enrich.Prompt;
import io.codegloss.worker.enrich.PromptBuilder;
import io.codegloss.worker.enrich.SingleParser;
import io.codegloss.worker.enrich.SpanOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixedLatencyEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Span span(long id, String name, int start, int end, String code) {
    return new Span(
        id,
        1,
        1,
        "lib/heap.py",
        "python",
        SpanKind.FUNCTION,
        name,
        name,
        null,
        start,
        end,
        0,
        code.length(),
        "def " + name + "()",
        null,
        code,
        "hash" + id,
        code.length() / 4);
  }

  static final Span PUSH =
      span(
          1,
          "heappush",
          10,
          13,
          "def heappush(heap, item):\n    heap.append(item)\n"
              + "    _siftdown(heap, 0, len(heap)-1)\n    return None");
  static final Span SIFT =
      span(
          2,
          "_siftdown",
          20,
          24,
          "def _siftdown(heap, startpos, pos):\n    newitem = heap[pos]\n"
              + "    while pos > startpos:\n        pos -= 1\n    heap[pos] = newitem");

  private static String chat(FixedLatencyEndpoint endpoint, Prompt prompt, String schema)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", endpoint.modelName());
    body.putArray("messages")
        .add(JSON.createObjectNode().put("role", "system").put("content", prompt.system()))
        .add(JSON.createObjectNode().put("role", "user").put("content", prompt.user()));
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    format.putObject("json_schema").set("schema", JSON.readTree(schema));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText();
  }

  @Test
  void answersABatchPromptWithOneValidItemPerSpanAfterItsFixedLatency() throws Exception {
    try (FixedLatencyEndpoint endpoint = FixedLatencyEndpoint.start(Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      String text =
          chat(
              endpoint,
              PromptBuilder.batch(List.of(PUSH, SIFT), Map.of(), List.of()),
              EnrichmentSchema.batch(2));
      long millis = (System.nanoTime() - t0) / 1_000_000;

      BatchParseResult parsed = BatchParser.parse(text, List.of(PUSH, SIFT), Map.of());
      assertThat(parsed.valid()).hasSize(2);
      assertThat(parsed.failed()).isEmpty();
      assertThat(millis).isGreaterThanOrEqualTo(300);
      assertThat(endpoint.requests()).isEqualTo(1);
      assertThat(endpoint.modelName()).isEqualTo("fixed-latency-300ms");
    }
  }

  @Test
  void answersASingleSpanPromptWithOneValidObjectForThatSpan() throws Exception {
    try (FixedLatencyEndpoint endpoint = FixedLatencyEndpoint.start(Duration.ZERO)) {
      String text =
          chat(endpoint, PromptBuilder.single(SIFT, null, List.of()), EnrichmentSchema.single());

      SpanOutcome outcome = SingleParser.parse(text, SIFT, null);
      assertThat(outcome).isInstanceOf(SpanOutcome.Valid.class);
      SpanOutcome.Valid valid = (SpanOutcome.Valid) outcome;
      assertThat(valid.enrichment().summary120w())
          .contains("fixed-latency")
          .contains(SIFT.symbol());
    }
  }

  @Test
  void isReachableOnlyOnTheLoopbackInterface() {
    try (FixedLatencyEndpoint endpoint = FixedLatencyEndpoint.start(Duration.ZERO)) {
      assertThat(endpoint.baseUrl()).startsWith("http://127.0.0.1:");
    }
  }
}
