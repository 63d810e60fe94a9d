package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive runs on a machine that has a Java runtime and nothing of the build: it is
 * unpacked in an empty folder and its launcher is run with a PATH that holds only {@code java} (no
 * Maven, no shell tools, no source tree). Runs after {@code package} (failsafe), because the
 * archive is made there.
 */
class ReleaseArchiveIT {

  @TempDir Path tmp;
  private Path launcher;
  private Path onlyJava;

  private record Run(int code, String out, String err) {}

  @BeforeEach
  void unpackTheArchiveAndHideEverythingButJava() throws Exception {
    Path archive = Path.of(System.getProperty("codegloss.archive"));
    assertThat(archive).as("mvn package makes the archive").isRegularFile();
    Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(tar.exitValue()).isZero();
    Path base = unpacked.resolve("codegloss-" + CodeglossMain.VERSION + "-SNAPSHOT");
    if (!Files.isDirectory(base)) {
      base = unpacked.resolve("codegloss-" + CodeglossMain.VERSION);
    }
    launcher = base.resolve("bin/codegloss");
    assertThat(base.resolve("lib/codegloss.jar")).isRegularFile();
    assertThat(Files.isExecutable(launcher)).as("bin/codegloss is executable").isTrue();

    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow()).toRealPath();
    onlyJava = Files.createDirectory(tmp.resolve("path"));
    Files.createSymbolicLink(onlyJava.resolve("java"), java);
  }

  private Run run(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(launcher.toString());
    pb.command().addAll(List.of(args));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", onlyJava.toString());
    env.put("HOME", tmp.resolve("home").toString());
    pb.directory(tmp.toFile());
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the launcher returns").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theLauncherPrintsTheVersionWithOnlyJavaOnThePath() throws Exception {
    Run r = run("version");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("codegloss " + CodeglossMain.VERSION);
  }

  @Test
  void theWorkersHelpNeedsNeitherMavenNorTheModel() throws Exception {
    Run r = run("worker", "--help");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Usage: codegloss worker", "--max-tokens", "--concurrency");
    assertThat(r.err()).doesNotContain("fetch-model");
  }

  @Test
  void aMissingJavaIsOneClearLine() throws Exception {
    Files.delete(onlyJava.resolve("java"));

    Run r = run("version");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("codegloss: a Java 17+ runtime is needed")
        .doesNotContain("\n");
  }
}
