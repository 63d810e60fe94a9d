package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.error.PermanentException;
import io.codegloss.scheduler.index.RepoStatus.LanguageKindCount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoQueriesTest extends FreshIndexTest {

  private RepoQueries queries;

  @BeforeEach
  void setUp() throws Exception {
    queries = new RepoQueries(db);
    fx.write(
        "app/user.py",
        "class User:\n    def get(self):\n        return 1\n\n    def put(self):\n        pass\n");
    fx.write("web/main.go", "package main\n\nfunc main() {}\n");
    fx.write(".env", "X=1\n");
    fx.index();
  }

  @Test
  void statusCountsFilesAndSpansByLanguageAndKind() throws Exception {
    List<RepoStatus> status = queries.status();

    assertThat(status).hasSize(1);
    RepoStatus s = status.get(0);
    assertThat(s.root()).isEqualTo(fx.repo.toRealPath().toString());
    assertThat(s.files()).isEqualTo(2);
    assertThat(s.skippedFiles()).isEqualTo(1);
    assertThat(s.spans()).isEqualTo(4);
    assertThat(s.pending()).isEqualTo(4);
    assertThat(s.factsOnly()).as("the index writes facts for every span").isEqualTo(4);
    assertThat(s.enriched()).isZero();
    assertThat(s.lastIndexedAt()).isNotNull();
    assertThat(s.byLanguageAndKind())
        .containsExactly(
            new LanguageKindCount("go", "function", 1, 1, 0, 1, 0, 0),
            new LanguageKindCount("python", "class", 1, 1, 0, 1, 0, 0),
            new LanguageKindCount("python", "method", 2, 2, 0, 2, 0, 0));
  }

  @Test
  void aSpanStopsBeingPendingOnceEnrichedAndIsPendingAgainAfterAnEdit() throws Exception {
    long get = fx.spans().get("app/user.py:User.get").id();
    fx.enrich(get);
    assertThat(queries.status().get(0).pending()).isEqualTo(3);

    fx.write(
        "app/user.py",
        "class User:\n    def get(self):\n        return 2\n\n    def put(self):\n        pass\n");
    fx.index();

    assertThat(queries.status().get(0).pending()).isEqualTo(4);
  }

  @Test
  void pendingFollowsTheGenerationAndThePromptVersion() {
    fx.enrich(fx.spans().get("app/user.py:User.get").id());
    assertThat(queries.status().get(0).pending()).isEqualTo(3);

    // a prompt change that makes older notes stale is a new definition of the current version
    fx.execute(
        "create or replace function codegloss_current_prompt_version() returns integer"
            + " language sql immutable as 'select 3'");
    assertThat(queries.status().get(0).pending()).isEqualTo(4);

    fx.execute(
        "create or replace function codegloss_current_prompt_version() returns integer"
            + " language sql immutable as 'select 2'");

    fx.count(
        "with u as (update repositories set generation = 2 returning 1) select count(*) from u");

    assertThat(queries.status().get(0).pending()).isEqualTo(4);
  }

  @Test
  void listsTheSpansOfTheRepositoryContainingAnyPathInsideIt() {
    List<SpanInfo> spans = queries.spans(fx.repo.resolve("app"), null);

    assertThat(spans)
        .extracting(SpanInfo::file, SpanInfo::symbol, SpanInfo::kind, SpanInfo::startLine)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("app/user.py", "User", "class", 1),
            org.assertj.core.groups.Tuple.tuple("app/user.py", "User.get", "method", 2),
            org.assertj.core.groups.Tuple.tuple("app/user.py", "User.put", "method", 5),
            org.assertj.core.groups.Tuple.tuple("web/main.go", "main", "function", 3));
    assertThat(spans).allSatisfy(s -> assertThat(s.hash()).hasSize(64));
  }

  @Test
  void listsTheSpansOfOneFileGivenRelativeOrAbsolute() {
    assertThat(queries.spans(fx.repo, "web/main.go"))
        .extracting(SpanInfo::symbol)
        .containsExactly("main");
    assertThat(queries.spans(fx.repo, "./app/user.py")).hasSize(3);
    assertThat(queries.spans(fx.repo, fx.repo.resolve("app/user.py").toString())).hasSize(3);
    assertThat(queries.spans(fx.repo, "nope.py")).isEmpty();
    assertThat(queries.spans(fx.repo.resolve("app"), "user.py")).hasSize(3);
  }

  @Test
  void findsTheNearestIndexedRootAndRefusesPathsOutsideEveryRepository(@TempDir Path other)
      throws Exception {
    IndexFixture nested = new IndexFixture(db, fx.repo.resolve("web"));
    long outer = queries.repoIdFor(fx.repo).orElseThrow();
    long inner = nested.index().repoId();

    assertThat(queries.repoIdFor(fx.repo.resolve("web/deeper/x.go"))).contains(inner);
    assertThat(queries.repoIdFor(fx.repo.resolve("app"))).contains(outer);
    assertThat(queries.repoIdFor(other)).isEmpty();
    assertThatThrownBy(() -> queries.spans(other, null))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("codegloss index");
  }
}
