package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.facts.SpanFacts.Param;
import io.codegloss.core.store.FileImportTable;
import io.codegloss.core.store.SpanCallTable;
import io.codegloss.core.store.SpanCallTable.Edge;
import io.codegloss.core.store.SpanFactsTable;
import io.codegloss.scheduler.index.extract.FactsAnalyzer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Facts and call edges stored by the indexer, and kept right as files change. */
class FactsIncrementalIndexTest extends FreshIndexTest {

  private static final String HELPERS =
      "import json\n"
          + "\n"
          + "\n"
          + "def parse_json(s):\n"
          + "    \"\"\"Parses JSON text.\"\"\"\n"
          + "    return json.loads(s)\n"
          + "\n"
          + "\n"
          + "def load_config(path):\n"
          + "    return parse_json(open(path).read())\n";

  private static final String MAIN =
      "from app.helpers import parse_json, load_config\n"
          + "\n"
          + "\n"
          + "def main(argv):\n"
          + "    config = load_config(argv[1])\n"
          + "    return parse_json(config['extra'])\n";

  private long id(String key) {
    return Objects.requireNonNull(fx.spans().get(key), key).id();
  }

  private List<Edge> callers(String key) {
    long spanId = id(key);
    return db.withConnection(c -> SpanCallTable.callers(c, spanId));
  }

  private List<String> callerKeys(String key) {
    Map<Long, String> byId = new java.util.HashMap<>();
    fx.spans().forEach((k, r) -> byId.put(r.id(), k));
    return callers(key).stream().map(e -> byId.get(e.fromSpanId())).sorted().toList();
  }

  @Test
  void theFirstRunStoresEachSpansFactsImportsAndCallEdges() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);

    fx.index();

    long parseJson = id("app/helpers.py:parse_json");
    SpanFacts facts = db.withConnection(c -> SpanFactsTable.read(c, parseJson)).orElseThrow();
    assertThat(facts.params()).containsExactly(new Param("s", null, null));
    assertThat(facts.docstring()).isEqualTo("Parses JSON text.");
    assertThat(facts.returnLines()).containsExactly(6);
    assertThat(
            fx.count(
                "select count(*) from span_facts where analyzer_version = ?",
                FactsAnalyzer.VERSION))
        .isEqualTo(3);
    SpanFacts loadConfig =
        db.withConnection(c -> SpanFactsTable.read(c, id("app/helpers.py:load_config")))
            .orElseThrow();
    assertThat(loadConfig.sideEffects())
        .extracting(SpanFacts.SideEffect::kind)
        .containsExactly(SideEffectKind.FILE);

    long mainFile = fx.count("select id from files where path = 'app/main.py'");
    assertThat(db.withConnection(c -> FileImportTable.read(c, List.of(mainFile))).get(mainFile))
        .containsExactly(
            new FileImport("app.helpers", "parse_json", "parse_json"),
            new FileImport("app.helpers", "load_config", "load_config"));

    assertThat(callerKeys("app/helpers.py:parse_json"))
        .containsExactly("app/helpers.py:load_config", "app/main.py:main");
    List<Edge> callees = db.withConnection(c -> SpanCallTable.callees(c, id("app/main.py:main")));
    assertThat(callees).extracting(Edge::calleeName).containsExactly("load_config", "parse_json");
    assertThat(callees)
        .extracting(Edge::toSpanId)
        .containsExactly(id("app/helpers.py:load_config"), parseJson);
    assertThat(fx.count("select count(*) from call_resolution_queue")).isZero();
  }

  @Test
  void renamingAFunctionTakesTheEdgeAwayFromItsCallersInOtherFiles() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);
    fx.index();
    long mainId = id("app/main.py:main");

    fx.write("app/helpers.py", HELPERS.replace("parse_json", "parse_text"));
    fx.index();

    // main.py did not change; its call to parse_json now names nothing.
    assertThat(id("app/main.py:main")).isEqualTo(mainId);
    List<Edge> callees = db.withConnection(c -> SpanCallTable.callees(c, mainId));
    assertThat(callees)
        .filteredOn(e -> e.calleeName().equals("parse_json"))
        .singleElement()
        .extracting(Edge::toSpanId)
        .isNull();
    assertThat(callerKeys("app/helpers.py:parse_text"))
        .containsExactly("app/helpers.py:load_config");
    assertThat(callerKeys("app/helpers.py:load_config")).containsExactly("app/main.py:main");
  }

  @Test
  void aNewCallerAppearsInCalledByAndADeletedOneLeavesIt() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);
    fx.index();

    fx.write(
        "app/tool.py",
        "from app import helpers\n\n\ndef run(path):\n    return helpers.load_config(path)\n");
    fx.index();
    assertThat(callerKeys("app/helpers.py:load_config"))
        .containsExactly("app/main.py:main", "app/tool.py:run");

    fx.delete("app/main.py");
    fx.index();
    assertThat(callerKeys("app/helpers.py:load_config")).containsExactly("app/tool.py:run");
  }

  @Test
  void aFunctionDefinedAgainLinksTheCallsThatNamedItWhileItWasGone() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);
    fx.index();
    fx.write("app/helpers.py", HELPERS.replace("parse_json", "parse_text"));
    fx.index();

    fx.write("app/helpers.py", HELPERS);
    fx.index();

    assertThat(callerKeys("app/helpers.py:parse_json"))
        .containsExactly("app/helpers.py:load_config", "app/main.py:main");
  }

  @Test
  void aRunWithNothingChangedLeavesTheEdgesAsTheyAre() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);
    fx.index();
    long before = fx.count("select count(*) from span_calls where to_span_id is not null");

    IndexReport again = fx.index();

    assertThat(again.filesChanged()).isZero();
    assertThat(fx.count("select count(*) from span_calls where to_span_id is not null"))
        .isEqualTo(before)
        .isEqualTo(3);
  }

  @Test
  void callsLeftUnresolvedByARunCutShortAreResolvedByTheNextRun() throws Exception {
    fx.write("app/helpers.py", HELPERS);
    fx.write("app/main.py", MAIN);
    fx.index();
    // What a run that died between writing files and resolving leaves behind.
    fx.count(
        "with u as (update span_calls set to_span_id = null returning 1) select count(*) from u");
    fx.count(
        "with q as (insert into call_resolution_queue (file_id, repo_id)"
            + " select id, repo_id from files returning 1) select count(*) from q");

    IndexReport again = fx.index();

    assertThat(again.filesChanged()).isZero();
    assertThat(callerKeys("app/helpers.py:parse_json"))
        .containsExactly("app/helpers.py:load_config", "app/main.py:main");
    assertThat(fx.count("select count(*) from call_resolution_queue")).isZero();
  }
}
