package io.codegloss.scheduler.index.walk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class RepoWalkerTest {

  @TempDir Path repo;

  private final RepoWalker walker = new RepoWalker(1024 * 1024, List.of());

  private void write(String path, String content) throws IOException {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private List<String> paths(WalkResult r) {
    return r.files().stream().map(SourceFile::path).toList();
  }

  private String reasonFor(WalkResult r, String path) {
    return r.skipped().stream()
        .filter(s -> s.path().equals(path))
        .map(SkippedFile::reason)
        .findFirst()
        .orElse(null);
  }

  @Test
  void honoursTheRootAndNestedGitignoreFiles() throws IOException {
    write(".gitignore", "generated/\n*.tmp.py\n");
    write("app.py", "x = 1\n");
    write("generated/out.py", "x = 1\n");
    write("scratch.tmp.py", "x = 1\n");
    write("pkg/.gitignore", "/local_only.py\n!keep.tmp.py\n");
    write("pkg/local_only.py", "x = 1\n");
    write("pkg/keep.tmp.py", "x = 1\n");
    write("pkg/sub/local_only.py", "x = 1\n");

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).containsExactly("app.py", "pkg/keep.tmp.py", "pkg/sub/local_only.py");
  }

  @Test
  void honoursGitInfoExcludeAndExtraExcludes() throws IOException {
    write(".git/info/exclude", "private_notes.py\n");
    write("private_notes.py", "x = 1\n");
    write("vendor/lib.py", "x = 1\n");
    write("main.py", "x = 1\n");

    WalkResult r = new RepoWalker(1024, List.of("vendor/")).walk(repo);

    assertThat(paths(r)).containsExactly("main.py");
  }

  @Test
  void leavesOutToolFoldersAndVirtualEnvironmentsByDefault() throws IOException {
    for (String dir :
        List.of(".git", "node_modules", "build", "target", "dist", ".venv", "__pycache__")) {
      write(dir + "/x.py", "x = 1\n");
    }
    write("env3/pyvenv.cfg", "home = /usr/bin\n");
    write("env3/lib/site.py", "x = 1\n");
    write("venv/__init__.py", "x = 1\n");
    write("src/main.py", "x = 1\n");

    WalkResult r = walker.walk(repo);

    // a folder merely named venv (like the stdlib module) is code; pyvenv.cfg marks a real one
    assertThat(paths(r)).containsExactly("src/main.py", "venv/__init__.py");
  }

  @Test
  void recordsSecretLookingFilesWithoutIndexingThem() throws IOException {
    for (String name :
        List.of(
            ".env",
            ".env.production",
            "server.pem",
            "tls.key",
            "id_rsa",
            "id_ed25519.pub",
            "credentials.json",
            "store.p12",
            "cert.pfx",
            "release.keystore",
            "app.jks")) {
      write("conf/" + name, "SECRET=hunter2\n");
    }
    write(".ssh/config.py", "x = 1\n");
    write("conf/settings.py", "DEBUG = False\n");

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).containsExactly("conf/settings.py");
    assertThat(reasonFor(r, "conf/.env")).isEqualTo("secret");
    assertThat(reasonFor(r, "conf/id_rsa")).isEqualTo("secret");
    assertThat(reasonFor(r, "conf/release.keystore")).isEqualTo("secret");
    assertThat(reasonFor(r, ".ssh/")).isEqualTo("secret");
    assertThat(r.skipped()).hasSize(12);
  }

  @Test
  void skipsFilesOverTheSizeLimitWithTheReason() throws IOException {
    write("big.py", "x = 1\n".repeat(100));
    write("small.py", "x = 1\n");

    WalkResult r = new RepoWalker(100, List.of()).walk(repo);

    assertThat(paths(r)).containsExactly("small.py");
    assertThat(reasonFor(r, "big.py")).isEqualTo("too_large");
  }

  @Test
  @Timeout(10)
  void neverFollowsSymlinksOutOfTheRepositoryNorLoopsOnThem(@TempDir Path outside)
      throws IOException {
    Files.writeString(outside.resolve("stolen.py"), "x = 1\n");
    write("real/inner.py", "x = 1\n");
    Files.createSymbolicLink(repo.resolve("outside_dir"), outside);
    Files.createSymbolicLink(repo.resolve("outside_file.py"), outside.resolve("stolen.py"));
    Files.createSymbolicLink(repo.resolve("real/loop"), repo);
    Files.createSymbolicLink(repo.resolve("self_a"), repo.resolve("self_b"));
    Files.createSymbolicLink(repo.resolve("self_b"), repo.resolve("self_a"));

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).containsExactly("real/inner.py");
    assertThat(reasonFor(r, "outside_dir")).isEqualTo("symlink");
    assertThat(reasonFor(r, "outside_file.py")).isEqualTo("symlink");
    assertThat(r.skipped())
        .filteredOn(s -> s.path().equals("outside_file.py"))
        .extracting(SkippedFile::detail)
        .containsExactly("points outside the repository");
    assertThat(reasonFor(r, "self_a")).isEqualTo("symlink");
  }

  @Test
  void reportsSizeAndMtimeForTheCheapSkipCheck() throws IOException {
    write("a.py", "print('hi')\n");
    Files.setLastModifiedTime(
        repo.resolve("a.py"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_123L));

    SourceFile f = walker.walk(repo).files().get(0);

    assertThat(f.size()).isEqualTo(12);
    assertThat(f.mtimeMs()).isEqualTo(1_700_000_000_123L);
    assertThat(f.language().id()).isEqualTo("python");
  }

  @Test
  void leavesFilesOfOtherLanguagesOutWithoutRecordingThem() throws IOException {
    write("README.md", "# hi\n");
    write("types.d.ts", "export declare const x: number;\n");
    write("main.go", "package main\n");

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).containsExactly("main.go");
    assertThat(r.otherFiles()).isEqualTo(2);
    assertThat(r.skipped()).isEmpty();
  }

  @Test
  @Timeout(30)
  void aGitignoreThatIsAFifoIsSkippedInsteadOfBlockingTheWalk() throws Exception {
    write("app/main.py", "def main():\n    pass\n");
    Process mkfifo =
        new ProcessBuilder("mkfifo", repo.resolve("app/.gitignore").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).contains("app/main.py");
    assertThat(reasonFor(r, "app/.gitignore")).isEqualTo("unreadable");
  }

  @Test
  @Timeout(30)
  void aGitignoreLinkedToDevZeroIsNotReadAndNothingRunsOutOfMemory() throws Exception {
    write("main.py", "def main():\n    pass\n");
    Files.createSymbolicLink(repo.resolve(".gitignore"), Path.of("/dev/zero"));

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).contains("main.py");
    assertThat(reasonFor(r, ".gitignore")).isEqualTo("symlink");
  }

  @Test
  void anOversizedGitignoreIsSkippedWithItsReason() throws Exception {
    write("main.py", "def main():\n    pass\n");
    write(".gitignore", "x".repeat((int) RepoWalker.MAX_IGNORE_FILE_BYTES + 1));

    WalkResult r = walker.walk(repo);

    assertThat(paths(r)).contains("main.py");
    assertThat(reasonFor(r, ".gitignore")).isEqualTo("too_large");
  }
}
