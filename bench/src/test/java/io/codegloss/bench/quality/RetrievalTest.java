package io.codegloss.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.search.SpanSearch;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTest {

  @Test
  void eachLayerCanOnlyFindWhatItHoldsAndTheDocstringIsNeverSearched() {
    try (TestDatabase db = TestDatabase.fresh()) {
      Seed seed = Seed.into(db).repo("/src/lib").file("lib/text.py");
      long byName = seed.span("wrap_lines").spanId();
      seed.facts(byName, "{\"docstring\": \"Wrap lines of text.\"}");
      long byFacts = seed.span("fill").spanId();
      seed.facts(
          byFacts,
          "{\"docstring\": \"Raise OverflowError when the width is exceeded.\","
              + " \"raises\": [{\"name\": \"OverflowError\", \"line\": 3}]}");
      long byProse = seed.span("dedent").spanId();
      seed.facts(byProse, "{\"docstring\": \"Remove common leading whitespace.\"}");
      seed.enrichment(byProse, e -> e.summary("Removes leading whitespace common to all lines."));
      long docstringOnly = seed.span("shorten").spanId();
      seed.facts(docstringOnly, "{\"docstring\": \"Collapse and truncate a paragraph.\"}");
      seed.enrichment(
          docstringOnly, e -> e.summary("Collapse and truncate a paragraph.").fromDocstring());

      Retrieval.Scores s =
          Retrieval.score(
              new SpanSearch(db.database()),
              List.of(
                  new Retrieval.Case(byName, "Wrap lines of text."),
                  new Retrieval.Case(byFacts, "Raise OverflowError when the width is exceeded."),
                  new Retrieval.Case(byProse, "Remove common leading whitespace."),
                  new Retrieval.Case(docstringOnly, "Collapse and truncate a paragraph.")));

      assertThat(s.queries()).isEqualTo(4);
      assertThat(s.recall10())
          .containsEntry("names", 0.25)
          .containsEntry("names+facts", 0.5)
          .containsEntry("names+facts+prose", 0.75);
      assertThat(s.mrr10().get("names+facts+prose"))
          .isGreaterThan(s.mrr10().get("names+facts"))
          .isGreaterThan(s.mrr10().get("names"));
    }
  }
}
