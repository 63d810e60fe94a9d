package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.scheduler.index.walk.SkippedFile;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run scoped to the paths a watcher saw change looks at those paths only: what lies outside is
 * neither read, removed nor forgotten, and ignore files above the paths still decide.
 */
class ScopedIndexTest extends FreshIndexTest {

  @BeforeEach
  void setUp() throws Exception {
    fx.write(".gitignore", "*.gen.py\n");
    fx.write("a/one.py", "def one():\n    return 1\n");
    fx.write("b/two.py", "def two():\n    return 2\n");
    fx.write("b/.env", "SECRET=1\n");
    fx.index();
  }

  private IndexReport indexOnly(String... paths) {
    return new Indexer(db, IndexSettings.defaults().withThreads(1)).index(repo, Set.of(paths));
  }

  @Test
  void onlyTheChangedFileIsReadAndTheOthersKeepTheirSpans() throws Exception {
    fx.write("a/one.py", "def one():\n    return 10\n");
    fx.write("b/two.py", "def two():\n    return 20\n");
    String twoBefore = fx.spans().get("b/two.py:two").hash();

    IndexReport r = indexOnly("a/one.py");

    assertThat(r.filesScanned()).isEqualTo(1);
    assertThat(r.filesChanged()).isEqualTo(1);
    assertThat(fx.spans().get("b/two.py:two").hash())
        .as("outside the scope: not read yet")
        .isEqualTo(twoBefore);
    assertThat(r.filesSkipped())
        .extracting(SkippedFile::path)
        .as("skips recorded outside the scope stay recorded")
        .contains("b/.env");
  }

  @Test
  void aDeletedFileOrFolderInScopeLosesItsSpansAndNothingElseDoes() throws Exception {
    fx.delete("a/one.py");

    IndexReport r = indexOnly("a");

    assertThat(r.filesRemoved()).isEqualTo(1);
    assertThat(fx.spans()).doesNotContainKey("a/one.py:one").containsKey("b/two.py:two");
  }

  @Test
  void theIgnoreFilesAboveTheScopeStillDecide() throws Exception {
    fx.write("a/made.gen.py", "def made():\n    return 1\n");
    fx.write("a/real.py", "def real():\n    return 1\n");

    indexOnly("a/made.gen.py", "a/real.py");

    assertThat(fx.spans()).containsKey("a/real.py:real").doesNotContainKey("a/made.gen.py:made");
  }
}
