package io.codegloss.scheduler.index.walk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitIgnoreTest {

  private static Boolean decide(String rules, String path, boolean dir) {
    return GitIgnore.parse("", rules).decide(path, dir);
  }

  @Test
  void aBareNameMatchesAtAnyDepth() {
    assertThat(decide("*.log", "a/b/c.log", false)).isTrue();
    assertThat(decide("secret.py", "pkg/secret.py", false)).isTrue();
    assertThat(decide("*.log", "a/b/c.py", false)).isNull();
  }

  @Test
  void aSlashAnchorsThePatternToTheIgnoreFilesFolder() {
    assertThat(decide("/gen.py", "gen.py", false)).isTrue();
    assertThat(decide("/gen.py", "sub/gen.py", false)).isNull();
    assertThat(decide("docs/*.py", "docs/conf.py", false)).isTrue();
    assertThat(decide("docs/*.py", "x/docs/conf.py", false)).isNull();
  }

  @Test
  void aTrailingSlashMatchesFoldersOnly() {
    assertThat(decide("out/", "out", true)).isTrue();
    assertThat(decide("out/", "out", false)).isNull();
    assertThat(decide("out/", "a/out", true)).isTrue();
  }

  @Test
  void theLastMatchingRuleWinsAndBangReincludes() {
    String rules = "*.py\n!keep.py\n";
    assertThat(decide(rules, "drop.py", false)).isTrue();
    assertThat(decide(rules, "sub/keep.py", false)).isFalse();
    assertThat(decide("!keep.py\n*.py\n", "keep.py", false)).isTrue();
  }

  @Test
  void doubleStarSpansFolders() {
    assertThat(decide("**/fixtures", "a/b/fixtures", true)).isTrue();
    assertThat(decide("gen/**", "gen/a/b.py", false)).isTrue();
    assertThat(decide("a/**/b.py", "a/b.py", false)).isTrue();
    assertThat(decide("a/**/b.py", "a/x/y/b.py", false)).isTrue();
    assertThat(decide("a/**/b.py", "z/a/x/b.py", false)).isNull();
  }

  @Test
  void singleStarAndQuestionMarkAndClassesNeverCrossAFolder() {
    assertThat(decide("src/*.py", "src/a/b.py", false)).isNull();
    assertThat(decide("file?.py", "file1.py", false)).isTrue();
    assertThat(decide("file?.py", "file/.py", false)).isNull();
    assertThat(decide("v[0-9].py", "v7.py", false)).isTrue();
    assertThat(decide("v[!0-9].py", "v7.py", false)).isNull();
    assertThat(decide("v[!0-9].py", "vx.py", false)).isTrue();
  }

  @Test
  void commentsBlankLinesAndEscapesFollowGit() {
    assertThat(decide("# note\n\n\\#hash.py\n", "#hash.py", false)).isTrue();
    assertThat(decide("\\!bang.py", "!bang.py", false)).isTrue();
    assertThat(decide("trailing.py   ", "trailing.py", false)).isTrue();
  }

  @Test
  void aNestedIgnoreFileOnlySpeaksForItsOwnFolder() {
    GitIgnore nested = GitIgnore.parse("pkg", "/local.py\n*.tmp.py\n");
    assertThat(nested.decide("pkg/local.py", false)).isTrue();
    assertThat(nested.decide("pkg/sub/local.py", false)).isNull();
    assertThat(nested.decide("pkg/sub/x.tmp.py", false)).isTrue();
    assertThat(nested.decide("other/x.tmp.py", false)).isNull();
  }
}
