package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.codegloss.scheduler.index.IndexFixture.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalIndexTest extends FreshIndexTest {

  private static final String USER =
      "class User:\n"
          + "    \"\"\"A user.\"\"\"\n"
          + "\n"
          + "    def get_email(self):\n"
          + "        return self._email\n"
          + "\n"
          + "    def set_email(self, email):\n"
          + "        self._email = email\n";

  private static final String HELPERS =
      "def parse_json(s):\n"
          + "    return json.loads(s)\n"
          + "\n"
          + "\n"
          + "def load_config(path):\n"
          + "    return parse_json(open(path).read())\n";

  @Test
  void firstRunStoresEveryFileAndSpanWithItsPlaceAndParent() throws Exception {
    fx.write("app/user.py", USER);
    fx.write("app/helpers.py", HELPERS);

    IndexReport report = fx.index();

    assertThat(report.filesScanned()).isEqualTo(2);
    assertThat(report.filesChanged()).isEqualTo(2);
    assertThat(report.spansAdded()).isEqualTo(5);
    assertThat(report.spansTotal()).isEqualTo(5);
    Map<String, Row> spans = fx.spans();
    Row user = spans.get("app/user.py:User");
    Row setEmail = spans.get("app/user.py:User.set_email");
    assertThat(user.kind()).isEqualTo("class");
    assertThat(setEmail.kind()).isEqualTo("method");
    assertThat(setEmail.parentId()).isEqualTo(user.id());
    assertThat(setEmail.startLine()).isEqualTo(7);
    assertThat(setEmail.endLine()).isEqualTo(8);
    assertThat(spans.get("app/helpers.py:load_config").kind()).isEqualTo("function");
    assertThat(fx.string("select code from spans where symbol = 'User.get_email'"))
        .isEqualTo("def get_email(self):\n        return self._email");
    assertThat(fx.count("select count(*) from files where line_count = 8 and not parse_errors"))
        .isEqualTo(1);
  }

  @Test
  void aSecondRunWithoutChangesTouchesNothing() throws Exception {
    fx.write("user.py", USER);
    fx.index();
    Map<String, Row> before = fx.spans();

    IndexReport again = fx.index();

    assertThat(again.filesScanned()).isEqualTo(1);
    assertThat(again.filesChanged()).isZero();
    assertThat(
            again.spansAdded() + again.spansChanged() + again.spansMoved() + again.spansRemoved())
        .isZero();
    assertThat(again.spansTotal()).isEqualTo(3);
    assertThat(fx.spans()).isEqualTo(before);
  }

  @Test
  void aFileWithNewMtimeButSameBytesKeepsEverything() throws Exception {
    fx.write("user.py", USER);
    fx.index();
    Map<String, Row> before = fx.spans();
    Files.setLastModifiedTime(repo.resolve("user.py"), FileTime.fromMillis(1_700_000_000_000L));

    IndexReport again = fx.index();

    assertThat(again.filesChanged()).isZero();
    assertThat(fx.spans()).isEqualTo(before);
    assertThat(fx.count("select mtime_ms from files")).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void editingOneMethodGivesItANewHashSoOnlyItAndItsClassBecomePending() throws Exception {
    fx.write("user.py", USER);
    fx.index();
    Map<String, Row> before = fx.spans();
    before.values().forEach(r -> fx.enrich(r.id()));

    fx.write("user.py", USER.replace("self._email = email", "self._email = email.strip()"));
    IndexReport report = fx.index();

    Map<String, Row> after = fx.spans();
    assertThat(report.filesChanged()).isEqualTo(1);
    assertThat(report.spansChanged()).isEqualTo(2);
    assertThat(report.spansAdded()).isZero();
    assertThat(report.spansRemoved()).isZero();
    Row setEmail = after.get("user.py:User.set_email");
    assertThat(setEmail.id()).isEqualTo(before.get("user.py:User.set_email").id());
    assertThat(setEmail.hash()).isNotEqualTo(before.get("user.py:User.set_email").hash());
    assertThat(fx.enrichedNow(setEmail.id())).isFalse();
    assertThat(fx.enrichedNow(after.get("user.py:User").id())).isFalse();
    assertThat(fx.enrichedNow(after.get("user.py:User.get_email").id())).isTrue();
  }

  @Test
  void insertingLinesAboveAFunctionMovesItAndKeepsItsEnrichment() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.index();
    Row before = fx.spans().get("helpers.py:load_config");
    fx.enrich(before.id());

    fx.write("helpers.py", "import json\nimport os\n\n\n" + HELPERS);
    IndexReport report = fx.index();

    Row after = fx.spans().get("helpers.py:load_config");
    assertThat(report.spansMoved()).isEqualTo(2);
    assertThat(report.spansChanged() + report.spansAdded() + report.spansRemoved()).isZero();
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.hash()).isEqualTo(before.hash());
    assertThat(after.startLine()).isEqualTo(before.startLine() + 4);
    assertThat(after.startByte())
        .isEqualTo(before.startByte() + "import json\nimport os\n\n\n".length());
    assertThat(fx.enrichedNow(after.id())).isTrue();
  }

  @Test
  void movingAFunctionWithinItsFileKeepsItsRow() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.index();
    Map<String, Row> before = fx.spans();

    fx.write(
        "helpers.py",
        "def load_config(path):\n"
            + "    return parse_json(open(path).read())\n"
            + "\n\n"
            + "def parse_json(s):\n"
            + "    return json.loads(s)\n");
    IndexReport report = fx.index();

    Map<String, Row> after = fx.spans();
    assertThat(report.spansMoved()).isEqualTo(2);
    assertThat(after.get("helpers.py:parse_json").id())
        .isEqualTo(before.get("helpers.py:parse_json").id());
    assertThat(after.get("helpers.py:parse_json").startLine()).isEqualTo(5);
    assertThat(after.get("helpers.py:load_config").startLine()).isEqualTo(1);
  }

  @Test
  void renamingAFileKeepsItsSpansAndTheirEnrichments() throws Exception {
    fx.write("old/helpers.py", HELPERS);
    fx.write("user.py", USER);
    fx.index();
    Row before = fx.spans().get("old/helpers.py:parse_json");
    fx.enrich(before.id());

    fx.rename("old/helpers.py", "new/util.py");
    IndexReport report = fx.index();

    Row after = fx.spans().get("new/util.py:parse_json");
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(fx.enrichedNow(after.id())).isTrue();
    assertThat(report.spansMoved()).isEqualTo(2);
    assertThat(report.spansAdded() + report.spansRemoved()).isZero();
    assertThat(report.filesRemoved()).isEqualTo(1);
    assertThat(fx.count("select count(*) from files where path = 'old/helpers.py'")).isZero();
  }

  @Test
  void renamingAndEditingAFileKeepsTheUntouchedSpans() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.index();
    Row parse = fx.spans().get("helpers.py:parse_json");

    fx.delete("helpers.py");
    fx.write("config.py", HELPERS.replace("open(path).read()", "open(path, 'rb').read()"));
    IndexReport report = fx.index();

    assertThat(fx.spans().get("config.py:parse_json").id()).isEqualTo(parse.id());
    assertThat(report.spansMoved()).isEqualTo(1);
    assertThat(report.spansAdded()).isEqualTo(1);
    assertThat(report.spansRemoved()).isEqualTo(1);
  }

  @Test
  void aFunctionMovedFromADeletedFileIntoAnExistingOneKeepsItsRow() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.write("user.py", USER);
    fx.index();
    Row parse = fx.spans().get("helpers.py:parse_json");
    fx.enrich(parse.id());

    fx.delete("helpers.py");
    fx.write("user.py", USER + "\n\n" + HELPERS.substring(0, HELPERS.indexOf("\n\n\n")) + "\n");
    IndexReport report = fx.index();

    Row moved = fx.spans().get("user.py:parse_json");
    assertThat(moved.id()).isEqualTo(parse.id());
    assertThat(fx.enrichedNow(moved.id())).isTrue();
    assertThat(report.spansMoved()).isEqualTo(1);
    assertThat(report.spansRemoved()).isEqualTo(1);
  }

  @Test
  void deletingAFileRemovesItsSpansAndTheirEnrichments() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.write("user.py", USER);
    fx.index();
    fx.spans().values().forEach(r -> fx.enrich(r.id()));

    fx.delete("helpers.py");
    IndexReport report = fx.index();

    assertThat(report.filesRemoved()).isEqualTo(1);
    assertThat(report.spansRemoved()).isEqualTo(2);
    assertThat(fx.spans().keySet()).allMatch(k -> k.startsWith("user.py:"));
    assertThat(fx.count("select count(*) from enrichments")).isEqualTo(3);
  }

  @Test
  void removingAFunctionDeletesOnlyItsRow() throws Exception {
    fx.write("helpers.py", HELPERS);
    fx.index();
    Row load = fx.spans().get("helpers.py:load_config");

    fx.write("helpers.py", HELPERS.substring(HELPERS.indexOf("def load_config")));
    IndexReport report = fx.index();

    assertThat(report.spansRemoved()).isEqualTo(1);
    assertThat(fx.spans()).containsOnlyKeys("helpers.py:load_config");
    assertThat(fx.spans().get("helpers.py:load_config").id()).isEqualTo(load.id());
  }

  @Test
  void identicalCodeInTwoFilesIsTwoSpans() throws Exception {
    fx.write("a/helpers.py", HELPERS);
    fx.write("b/helpers.py", HELPERS);

    fx.index();

    Row a = fx.spans().get("a/helpers.py:parse_json");
    Row b = fx.spans().get("b/helpers.py:parse_json");
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.hash()).isEqualTo(b.hash());
    assertThat(fx.count("select count(*) from spans")).isEqualTo(4);
  }

  @Test
  void copyingAFileNextToItsOriginalAddsNewSpans() throws Exception {
    fx.write("a.py", HELPERS);
    fx.index();
    Row original = fx.spans().get("a.py:parse_json");

    fx.write("b.py", HELPERS);
    IndexReport report = fx.index();

    assertThat(report.spansAdded()).isEqualTo(2);
    assertThat(fx.spans().get("a.py:parse_json").id()).isEqualTo(original.id());
    assertThat(fx.spans().get("b.py:parse_json").id()).isNotEqualTo(original.id());
  }

  @Test
  void severalRepositoriesLiveInOneDatabase(@TempDir Path other) throws Exception {
    fx.write("user.py", USER);
    IndexFixture second = new IndexFixture(db, other);
    second.write("helpers.py", HELPERS);

    IndexReport first = fx.index();
    IndexReport secondReport = second.index();
    IndexReport firstAgain = fx.index();

    assertThat(first.repoId()).isNotEqualTo(secondReport.repoId());
    assertThat(firstAgain.repoId()).isEqualTo(first.repoId());
    assertThat(firstAgain.spansTotal()).isEqualTo(3);
    assertThat(secondReport.spansTotal()).isEqualTo(2);
    assertThat(fx.count("select count(*) from repositories")).isEqualTo(2);
  }

  @Test
  void theReportSerializesWithTheDocumentedSnakeCaseKeys() throws Exception {
    fx.write("user.py", USER);
    fx.write(".env", "TOKEN=x\n");

    IndexReport report = fx.index();
    JsonNode json =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .valueToTree(report);

    assertThat(json.fieldNames())
        .toIterable()
        .contains(
            "files_scanned",
            "files_changed",
            "files_skipped",
            "spans_total",
            "spans_added",
            "spans_changed",
            "spans_moved",
            "spans_removed",
            "seconds");
    assertThat(json.get("files_skipped").get(0).get("path").asText()).isEqualTo(".env");
    assertThat(json.get("files_skipped").get(0).get("reason").asText()).isEqualTo("secret");
    assertThat(json.get("spans_added").asInt()).isEqualTo(3);
    assertThat(json.get("seconds").asDouble()).isPositive();
  }
}
