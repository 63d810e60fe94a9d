package io.codegloss.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanSearchTest {

  private TestDatabase db;
  private Seed seed;
  private SpanSearch search;
  private long decoder;
  private long encode;
  private long setEmail;
  private long parseHeaders;

  @BeforeEach
  void seedFixture() {
    db = TestDatabase.fresh();
    search = new SpanSearch(db.database());
    seed = Seed.into(db).repo("/src/shop").file("shop/codec.py");
    decoder =
        seed.span("JSONDecoder", s -> s.kind("class").signature("class JSONDecoder(object):"))
            .spanId();
    seed.facts(
        decoder, "{\"docstring\": \"Simple JSON decoder, turns text into Python objects.\"}");
    encode = seed.span("encode_basestring", s -> s.signature("def encode_basestring(s):")).spanId();
    seed.facts(
        encode,
        "{\"params\": [{\"name\": \"s\"}], \"calls\": [{\"name\": \"sub\", \"receiver\":"
            + " \"ESCAPE\", \"line\": 3}], \"raises\": [{\"name\": \"UnicodeError\", \"line\": 4}]}");
    seed.enrichment(
        encode,
        e ->
            e.summary("Quotes a string for output, escaping control characters.")
                .payload("{\"pitfalls\": [\"surrogates are left unpaired\"]}"));
    seed.file("shop/user.py");
    setEmail =
        seed.span("User.set_email", s -> s.signature("def set_email(self, address):")).spanId();
    seed.facts(setEmail, "{\"params\": [{\"name\": \"address\", \"type\": \"str\"}]}");
    seed.file("web/Http.java");
    parseHeaders =
        seed.span(
                "HttpParser.parseHeaders",
                s -> s.signature("Map<String, String> parseHeaders(InputStream in)"))
            .spanId();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<Long> ids(String query) {
    return ids(SearchRequest.of(query, 10), SearchLayer.all());
  }

  private List<Long> ids(SearchRequest r, java.util.Set<SearchLayer> layers) {
    return search.search(r, layers).stream().map(SearchHit::spanId).toList();
  }

  @Test
  void aSymbolNameRanksItsSpanFirstWithFileLinesKindAndState() {
    List<SearchHit> hits = search.search(SearchRequest.of("set_email", 10));

    assertThat(hits).isNotEmpty();
    SearchHit top = hits.get(0);
    assertThat(top.spanId()).isEqualTo(setEmail);
    assertThat(top.repositoryRoot()).isEqualTo("/src/shop");
    assertThat(top.path()).isEqualTo("shop/user.py");
    assertThat(top.symbol()).isEqualTo("User.set_email");
    assertThat(top.kind()).isEqualTo("method");
    assertThat(top.language()).isEqualTo("python");
    assertThat(top.state()).isEqualTo("facts_only");
    assertThat(top.summary()).isNull();
    assertThat(top.score()).isPositive();
  }

  @Test
  void camelCaseAndSnakeCaseIdentifiersAreFoundByTheirWords() {
    assertThat(ids("parse headers")).first().isEqualTo(parseHeaders);
    assertThat(ids("headers")).contains(parseHeaders);
    assertThat(ids("json decoder")).first().isEqualTo(decoder);
    assertThat(ids("JSONDecoder")).first().isEqualTo(decoder);
    assertThat(ids("email")).containsExactly(setEmail);
    assertThat(ids("encode basestring")).first().isEqualTo(encode);
  }

  @Test
  void aPartialIdentifierIsFoundByTrigrams() {
    assertThat(ids("basestr")).first().isEqualTo(encode);
    assertThat(ids("JSONDec")).first().isEqualTo(decoder);
    assertThat(ids("parseHead")).first().isEqualTo(parseHeaders);
  }

  @Test
  void docstringFactsAndModelProseAreSearchedEachInItsLayer() {
    assertThat(ids("turns text into objects")).first().isEqualTo(decoder);
    assertThat(ids("UnicodeError")).containsExactly(encode);
    assertThat(ids("escaping control characters")).first().isEqualTo(encode);
    assertThat(ids("unpaired surrogates")).containsExactly(encode);

    assertThat(ids(SearchRequest.of("turns text into Python", 10), EnumSet.of(SearchLayer.NAMES)))
        .isEmpty();
    assertThat(
            ids(
                SearchRequest.of("escaping control characters", 10),
                EnumSet.of(SearchLayer.NAMES, SearchLayer.FACTS)))
        .isEmpty();
    assertThat(ids(SearchRequest.of("UnicodeError", 10), EnumSet.of(SearchLayer.FACTS)))
        .containsExactly(encode);
  }

  @Test
  void aSummaryThatIsTheDocstringIsShownButIsNotModelProse() {
    seed.enrichment(
        setEmail, e -> e.summary("Stores a validated mailbox address.").fromDocstring());

    assertThat(ids(SearchRequest.of("validated mailbox", 10), EnumSet.of(SearchLayer.PROSE)))
        .isEmpty();
    SearchHit hit = search.search(SearchRequest.of("set_email", 1)).get(0);
    assertThat(hit.summary()).isEqualTo("Stores a validated mailbox address.");
    assertThat(hit.state()).isEqualTo("enriched");
  }

  @Test
  void filtersByRepositoryLanguageAndKind() {
    seed.repo("/src/other").file("other/user.py");
    long otherSetEmail = seed.span("Account.set_email").spanId();

    assertThat(ids("set email")).contains(setEmail, otherSetEmail);
    assertThat(
            ids(
                new SearchRequest(
                    "set email", 10, Optional.of("/src/other"), Optional.empty(), Optional.empty()),
                SearchLayer.all()))
        .containsExactly(otherSetEmail);
    assertThat(
            ids(
                new SearchRequest(
                    "parse", 10, Optional.empty(), Optional.of("Java"), Optional.empty()),
                SearchLayer.all()))
        .containsExactly(parseHeaders);
    assertThat(
            ids(
                new SearchRequest(
                    "json", 10, Optional.empty(), Optional.empty(), Optional.of("class")),
                SearchLayer.all()))
        .containsExactly(decoder);
  }

  @Test
  void prosePointsAtTheCurrentCodeOnly() {
    assertThat(ids("escaping control characters")).contains(encode);

    seed.editSpan(encode);

    assertThat(ids("escaping control characters")).doesNotContain(encode);
    assertThat(ids("UnicodeError")).doesNotContain(encode);
    assertThat(ids("basestring")).contains(encode);
  }

  @Test
  void aNoteStoredLaterIsFoundAtOnce() {
    assertThat(ids("mailbox")).isEmpty();

    seed.enrichment(setEmail, e -> e.summary("Replaces the user's mailbox address."));

    assertThat(ids("mailbox")).containsExactly(setEmail);
  }

  @Test
  void aTransactionsWritesAreSearchableAtItsCommitAndLeaveNoMarksBehind() throws Exception {
    try (java.sql.Connection c = db.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.executeUpdate(
          "update spans set doc_hint = 'Validates the mailbox.' where id = " + setEmail);
      st.executeUpdate(
          "update span_facts set facts = '{\"raises\": [{\"name\": \"BadAddress\"}]}'"
              + " where span_id = "
              + setEmail);

      assertThat(ids("mailbox")).isEmpty();

      c.commit();
    }

    assertThat(ids("mailbox")).containsExactly(setEmail);
    assertThat(ids("BadAddress")).containsExactly(setEmail);
    assertThat(count("select count(*) from span_search_dirty")).isZero();
    assertThat(count("select count(*) from span_search_pending")).isZero();
  }

  @Test
  void aRolledBackTransactionChangesNoSearchRow() throws Exception {
    try (java.sql.Connection c = db.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.executeUpdate(
          "update spans set doc_hint = 'Validates the mailbox.' where id = " + setEmail);
      c.rollback();
    }

    assertThat(ids("mailbox")).isEmpty();
    assertThat(count("select count(*) from span_search_dirty")).isZero();
  }

  private long count(String sql) throws Exception {
    try (java.sql.Connection c = db.database().dataSource().getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void hostileTextIsAQueryNeverASyntaxError() {
    for (String q :
        List.of(
            "",
            "   ",
            "'",
            "\"",
            "\"unterminated",
            "a & b | !c",
            "&|!():*",
            "foo:*",
            "<->",
            "'; drop table spans; --",
            "%_\\",
            "ünïcödé 日本語 🙂",
            "\u0000",
            "x".repeat(SearchRequest.MAX_QUERY_BYTES),
            "set_email ".repeat(SearchRequest.MAX_QUERY_BYTES / 10))) {
      assertThat(search.search(SearchRequest.of(q, 10))).as(q).isNotNull();
    }
    assertThat(ids("&|!():*")).isEmpty();
    assertThat(ids("'set_email'")).first().isEqualTo(setEmail);
    assertThat(ids("!set_email")).first().isEqualTo(setEmail);
  }

  @Test
  void aLimitOutsideOneToAHundredOrAQueryOverTenKilobytesIsRefused() {
    assertThatThrownBy(() -> SearchRequest.of("x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> SearchRequest.of("x", 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SearchRequest.of("x".repeat(SearchRequest.MAX_QUERY_BYTES + 1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void theLimitCapsTheHits() {
    assertThat(search.search(SearchRequest.of("set email parse json encode", 2))).hasSize(2);
  }

  /** The span's search row as text, layer by layer. */
  private String row(long spanId) {
    return db.database()
        .withConnection(
            c -> {
              try (var st = c.createStatement();
                  var rs =
                      st.executeQuery(
                          "select names::text || '|' || doc::text || '|' || facts::text || '|'"
                              + " || prose::text || '|' || document::text || '|' || identifiers"
                              + " from span_search where span_id = "
                              + spanId)) {
                return rs.next() ? rs.getString(1) : null;
              }
            });
  }

  private void fullRefresh(long spanId) {
    db.database()
        .inTransaction(
            c -> {
              try (var ps = c.prepareStatement("select codegloss_span_search_refresh(array[?])")) {
                ps.setLong(1, spanId);
                ps.execute();
              }
            });
  }

  @Test
  void aNoteRefreshesOnlyItsProseAndTheRowIsWhatAFullRefreshWrites() {
    seed.enrichment(
        setEmail,
        e ->
            e.summary("Stores a lower-cased address after checking it.")
                .payload("{\"pitfalls\": [\"an invalid zeppelin address raises\"]}"));
    String afterNote = row(setEmail);

    fullRefresh(setEmail);

    assertThat(row(setEmail)).isEqualTo(afterNote);
    assertThat(ids(SearchRequest.of("zeppelin", 10), EnumSet.of(SearchLayer.PROSE)))
        .containsExactly(setEmail);
  }

  @Test
  void aNoteAndNewFactsInOneTransactionRefreshEveryLayer() {
    db.database()
        .inTransaction(
            c -> {
              try (var st = c.createStatement()) {
                st.execute(
                    "update span_facts set facts = '{\"params\": [{\"name\": \"mailbox\"}]}'"
                        + " where span_id = "
                        + setEmail);
                st.execute(
                    "insert into enrichments (span_id, model, prompt_version, span_hash,"
                        + " schema_version, generation, backend, mode, summary, payload, worker)"
                        + " select id, 'm', codegloss_current_prompt_version(), content_hash, 1,"
                        + " 0, 'test', 'single', 'Sets the quokka address.', '{}', 'w'"
                        + " from spans where id = "
                        + setEmail);
              }
            });

    assertThat(ids(SearchRequest.of("mailbox", 10), EnumSet.of(SearchLayer.FACTS)))
        .containsExactly(setEmail);
    assertThat(ids(SearchRequest.of("quokka", 10), EnumSet.of(SearchLayer.PROSE)))
        .containsExactly(setEmail);
    String row = row(setEmail);
    fullRefresh(setEmail);
    assertThat(row(setEmail)).isEqualTo(row);
  }

  @Test
  void removingANoteEmptiesTheProseLayer() {
    assertThat(ids(SearchRequest.of("surrogates", 10), EnumSet.of(SearchLayer.PROSE)))
        .containsExactly(encode);

    db.database()
        .inTransaction(
            c -> {
              try (var st = c.createStatement()) {
                st.execute("delete from enrichments where span_id = " + encode);
              }
            });

    assertThat(ids(SearchRequest.of("surrogates", 10), EnumSet.of(SearchLayer.PROSE))).isEmpty();
  }
}
