package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.store.EnrichmentTable;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.SummarySource;
import io.codegloss.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `search` through the real CLI on the indexed fixture repository. */
class SearchCommandTest {

  @TempDir Path tmp;
  private TestDatabase db;
  private Map<String, String> env;
  private Path repo;

  @BeforeEach
  void indexFixture() {
    db = TestDatabase.fresh();
    env = E2e.env(db, tmp.resolve("home"));
    repo = E2e.fixtureRepo(tmp);
    E2e.Result index = E2e.run(env, "index", repo.toString(), "--json");
    assertThat(index.code()).as(index.err()).isZero();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private JsonNode searchJson(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("search", "--json"));
    all.addAll(List.of(args));
    E2e.Result r = E2e.run(env, all.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode hits = Printer.JSON.readTree(r.out());
    assertThat(hits.isArray()).as(r.out()).isTrue();
    return hits;
  }

  private static List<String> symbols(JsonNode hits) {
    List<String> out = new ArrayList<>();
    hits.forEach(h -> out.add(h.path("symbol").asText()));
    return out;
  }

  @Test
  void printsRankedSpansWithFileLinesSymbolKindStateAndScore() throws Exception {
    JsonNode hits = searchJson("parse", "json");

    JsonNode top = hits.get(0);
    assertThat(top.path("symbol").asText()).isEqualTo("parse_json");
    assertThat(top.path("path").asText()).isEqualTo("app/config.py");
    assertThat(top.path("repository_root").asText()).isEqualTo(repo.toRealPath().toString());
    assertThat(top.path("start_line").asInt()).isEqualTo(6);
    assertThat(top.path("end_line").asInt()).isGreaterThan(6);
    assertThat(top.path("kind").asText()).isEqualTo("function");
    assertThat(top.path("language").asText()).isEqualTo("python");
    assertThat(top.path("state").asText()).isEqualTo("facts_only");
    assertThat(top.path("summary").isNull()).isTrue();
    assertThat(top.path("score").asDouble()).isPositive();

    E2e.Result text = E2e.run(env, "search", "parse_json");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out().lines().findFirst().orElseThrow())
        .contains("app/config.py:6-")
        .contains("function parse_json")
        .contains("[facts_only]");
  }

  @Test
  void docstringsFactsAndPartialIdentifiersFindSpans() throws Exception {
    assertThat(symbols(searchJson("malformed input"))).first().isEqualTo("parse_json");
    assertThat(symbols(searchJson("FileNotFoundError"))).first().isEqualTo("load_config");
    assertThat(symbols(searchJson("validate_em"))).first().isEqualTo("User.validate_email");
    assertThat(symbols(searchJson("cart total"))).first().isEqualTo("cartTotal");
    assertThat(symbols(searchJson("discount"))).first().isEqualTo("applyDiscount");
  }

  @Test
  void filtersByRepositoryLanguageAndKind() throws Exception {
    assertThat(searchJson("--lang", "javascript", "total"))
        .allSatisfy(h -> assertThat(h.path("language").asText()).isEqualTo("javascript"))
        .isNotEmpty();
    assertThat(symbols(searchJson("--kind", "class", "user"))).containsExactly("User");
    assertThat(searchJson("--repo", repo.resolve("app").toString(), "email")).isNotEmpty();
    assertThat(searchJson("--limit", "1", "email")).hasSize(1);
  }

  @Test
  void aQueryThatMatchesNothingSaysSo() throws Exception {
    E2e.Result text = E2e.run(env, "search", "xylophone");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).isEqualTo("no span matches 'xylophone'\n");

    assertThat(searchJson("xylophone")).isEmpty();
  }

  @Test
  void hostileQueriesAreQueriesNeverErrors() throws Exception {
    for (String q :
        List.of(
            "\"",
            "'",
            "it's \"quoted",
            "&|!():*",
            "a & !b | (c <-> d):*",
            "--",
            "'; drop table spans; --",
            "%_\\",
            "ünïcödé 日本語 🙂 \u202e",
            "\u0000\u001b[2J",
            "x".repeat(SearchRequest.MAX_QUERY_BYTES),
            "")) {
      E2e.Result r = E2e.run(env, "search", "--json", "--", q);
      assertThat(r.code()).as(q + ": " + r.err()).isZero();
      assertThat(Printer.JSON.readTree(r.out()).isArray()).isTrue();
    }
    assertThat(symbols(searchJson("--", "\"parse_json\" & !"))).first().isEqualTo("parse_json");
    assertThat(E2e.run(env, "search", "-x").code()).isEqualTo(2);
  }

  @Test
  void aQueryOverTenKilobytesOrABadLimitOrKindIsAUsageError() {
    E2e.Result big = E2e.run(env, "search", "x".repeat(SearchRequest.MAX_QUERY_BYTES + 1));
    assertThat(big.code()).isEqualTo(2);
    assertThat(big.err().lines()).hasSize(1).first().asString().contains("bytes");

    E2e.Result limit = E2e.run(env, "search", "--limit", "0", "email");
    assertThat(limit.code()).isEqualTo(2);
    assertThat(limit.err()).contains("limit");

    E2e.Result kind = E2e.run(env, "search", "--kind", "module", "email");
    assertThat(kind.code()).isEqualTo(2);
    assertThat(kind.err().lines()).hasSize(1).first().asString().contains("--kind");
  }

  @Test
  void theIndexFollowsARenameAfterReIndexing() throws Exception {
    Path config = repo.resolve("app/config.py");
    Files.writeString(
        config,
        Files.readString(config, StandardCharsets.UTF_8).replace("parse_json", "decode_document"),
        StandardCharsets.UTF_8);

    E2e.Result index = E2e.run(env, "index", repo.toString(), "--json");
    assertThat(index.code()).as(index.err()).isZero();

    assertThat(symbols(searchJson("decode document"))).first().isEqualTo("decode_document");
    assertThat(symbols(searchJson("parse_json"))).doesNotContain("parse_json");
  }

  @Test
  void aNoteStoredByAWorkerIsSearchableAtOnce() throws Exception {
    assertThat(searchJson("quota")).isEmpty();
    JsonNode hit = searchJson("applyDiscount").get(0);
    long spanId = hit.path("span_id").asLong();
    E2e.Result spans = E2e.run(env, "spans", repo.resolve("app/cart.js").toString(), "--json");
    assertThat(spans.code()).as(spans.err()).isZero();
    String hash = null;
    for (JsonNode s : Printer.JSON.readTree(spans.out())) {
      if (s.path("id").asLong() == spanId) {
        hash = s.path("hash").asText();
      }
    }
    assertThat(hash).isNotNull();
    String spanHash = hash;

    db.database()
        .inTransaction(
            (io.codegloss.core.db.Database.TxAction)
                c ->
                    EnrichmentTable.upsert(
                        c,
                        new EnrichmentTable.Row(
                            spanId,
                            "test-model",
                            2,
                            spanHash,
                            2,
                            1,
                            "test",
                            JobKind.SINGLE,
                            "Lowers a total by a percentage, capped by the shop's quota.",
                            "{\"summary_120w\": \"Lowers a total.\", \"pitfalls\": [\"rounding\"]}",
                            0,
                            null,
                            "w1",
                            null,
                            SummarySource.MODEL)));

    JsonNode after = searchJson("quota");
    assertThat(symbols(after)).containsExactly("applyDiscount");
    assertThat(after.get(0).path("summary").asText()).contains("quota");
    assertThat(after.get(0).path("state").asText()).isEqualTo("enriched");
  }
}
