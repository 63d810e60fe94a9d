package io.codegloss.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedTest {

  private TestDatabase db;
  private Seed seed;

  @BeforeEach
  void setUp() {
    db = TestDatabase.fresh();
    seed = Seed.into(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void aSpanGoesIntoTheCurrentFileOfTheCurrentRepositoryWithItsLanguage() {
    long repo = seed.repo("/src/shop").repoId();
    long file = seed.file("web/app.ts").fileId();

    Seed.SpanRow row = seed.span("App.render").spanRow();

    assertThat(row.repoId()).isEqualTo(repo);
    assertThat(row.fileId()).isEqualTo(file);
    assertThat(
            strings(
                "select r.name || ' ' || f.language || ' ' || s.kind from spans s"
                    + " join files f on f.id = s.file_id join repositories r on r.id = s.repo_id"))
        .containsExactly("shop typescript method");
    assertThat(row.toSpan().kind()).isEqualTo(SpanKind.METHOD);
    assertThat(row.toSpan().path()).isEqualTo("web/app.ts");
  }

  @Test
  void spansWithoutLinesFollowEachOtherAndHaveAsManyLinesOfCode() {
    seed.repo("/src/shop").file("a.py");
    Seed.SpanRow first = seed.span("first").spanRow();
    Seed.SpanRow explicit = seed.span("explicit", 30, 32).spanRow();
    Seed.SpanRow next = seed.span("next").spanRow();

    assertThat(first.startLine()).isEqualTo(1);
    assertThat(first.endLine()).isEqualTo(10);
    assertThat(first.code().lines()).hasSize(10).first().isEqualTo("def first():");
    assertThat(explicit.code().lines()).hasSize(3);
    assertThat(next.startLine()).isEqualTo(34);
    assertThat(List.of(first.hash(), explicit.hash(), next.hash())).doesNotHaveDuplicates();
    assertThat(first.tokens()).isEqualTo(first.code().length() / 4);
  }

  @Test
  void anEnrichmentIsOfTheSpansCurrentCodeUntilTheSpanIsEdited() {
    long span = seed.repo("/src/shop").file("a.py").span("f").enrichment().spanId();
    assertThat(currentEnrichments()).isEqualTo(1);

    seed.editSpan(span);

    assertThat(currentEnrichments()).isZero();
  }

  @Test
  void anEnrichmentOfAnOlderGenerationIsNotCurrentAfterANewGeneration() {
    seed.repo("/src/shop").file("a.py").span("f").enrichment().newGeneration();

    assertThat(currentEnrichments()).isZero();
  }

  @Test
  void aJobHoldsItsSpansInPromptOrderWithTheirCurrentHashes() {
    seed.repo("/src/shop").file("a.py");
    long a = seed.span("a").spanId();
    long b = seed.span("b").spanId();

    UUID job = seed.job(j -> j.kind("single").processingOn("w2").spans(b, a)).jobId();

    assertThat(strings("select status || ' ' || worker || ' ' || span_tokens from jobs"))
        .containsExactly("processing w2 500");
    assertThat(
            strings(
                "select s.name || '=' || js.ordinal || ':' || (js.span_hash = s.content_hash)"
                    + " from job_spans js join spans s on s.id = js.span_id where js.job_id = '"
                    + job
                    + "' order by js.ordinal"))
        .containsExactly("b=1:true", "a=2:true");
  }

  @Test
  void aFailureIsDueWhenToldAndPermanentOnlyWhenSaid() {
    seed.repo("/src/shop").file("a.py");
    seed.failure(seed.span("waiting").spanId());
    seed.failure(seed.span("due").spanId(), f -> f.dueInSeconds(-5).permanent());

    assertThat(
            strings(
                "select s.name || ':' || (f.next_attempt_at <= now()) || ':' || f.permanent"
                    + " from span_failures f join spans s on s.id = f.span_id order by s.id"))
        .containsExactly("waiting:false:false", "due:true:true");
  }

  @Test
  void aCallCountsEveryItemValidOnlyWhenItsOutcomeIsOk() {
    seed.call(c -> c.batch(4)).call(c -> c.batch(3).outcome("invalid").secondsAgo(120));

    assertThat(
            strings(
                "select outcome || ' ' || items_valid || '/' || span_count"
                    + " || ' ' || (created_at < now() - interval '1 minute')"
                    + " from llm_calls order by id"))
        .containsExactly("ok 4/4 false", "invalid 0/3 true");
  }

  @Test
  void aWorkerIsAliveUntilItsHeartbeatIsMovedBack() {
    seed.worker("cpu-1", w -> w.maxTokens(2048)).heartbeat("cpu-1", 90);

    assertThat(
            strings(
                "select max_tokens || ' ' || state || ' '"
                    + " || (last_heartbeat < now() - interval '1 minute') from workers"))
        .containsExactly("2048 running true");
  }

  @Test
  void changingARowThatIsNotThereFailsInsteadOfDoingNothing() {
    assertThatThrownBy(() -> seed.editSpan(42)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> seed.file("a.py"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no current repository");
  }

  @Test
  void deleteTreeRemovesADirectoryWithEverythingInIt(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a/b/c"));
    Files.writeString(dir.resolve("f.txt"), "x");

    TestFiles.deleteTree(tmp.resolve("a"));
    TestFiles.deleteTree(tmp.resolve("missing"));

    assertThat(tmp.resolve("a")).doesNotExist();
  }

  private long currentEnrichments() {
    return Long.parseLong(
        strings(
                "select count(*) from enrichments e join spans s on s.id = e.span_id"
                    + " join repositories r on r.id = s.repo_id"
                    + " where e.span_hash = s.content_hash and e.generation = r.generation")
            .get(0));
  }

  private List<String> strings(String sql) {
    return Rows.strings(db.database(), sql);
  }
}
