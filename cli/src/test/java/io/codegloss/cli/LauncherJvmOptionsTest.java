package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.bench.BenchWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both launchers, the source tree's {@code ./codegloss} and the release archive's {@code
 * bin/codegloss}, give the short-lived commands the JVM options that keep their heap near their
 * live set (README Performance: enqueue's peak memory), the worker, scheduler and up the C1
 * compiler alone (as the bench runs its workers), the dashboard and mcp the JVM's defaults, and let
 * {@code CODEGLOSS_JAVA_OPTS} replace them. They run with a stand-in {@code java} that prints its
 * arguments, so no build is needed.
 */
class LauncherJvmOptionsTest {

  @TempDir Path tmp;

  private Path sourceLauncher() throws IOException {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("cli/target"));
    Path launcher = root.resolve("codegloss");
    Files.copy(Path.of("../codegloss").toAbsolutePath(), launcher);
    // newer than every source: the launcher does not build
    Path jar = Files.writeString(root.resolve("cli/target/codegloss.jar"), "stub");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(3600)));
    return launcher;
  }

  private Path releaseLauncher() throws IOException {
    Path base = tmp.resolve("release");
    Files.createDirectories(base.resolve("bin"));
    Files.createDirectories(base.resolve("lib"));
    Path launcher = base.resolve("bin/codegloss");
    Files.copy(Path.of("src/dist/bin/codegloss").toAbsolutePath(), launcher);
    Files.writeString(base.resolve("lib/codegloss.jar"), "stub");
    return launcher;
  }

  private String javaArgs(Path launcher, String shell, Map<String, String> env, String command)
      throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(shell, launcher.toString(), command);
    pb.environment().remove("CODEGLOSS_JAVA_OPTS");
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    pb.environment().put("CODEGLOSS_BACKEND", "openai"); // no model fetch for `worker`
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void shortLivedCommandsGetASmallHeapTheWorkerC1AloneAndTheServersTheJvmDefaultsFromBothLaunchers()
      throws Exception {
    Path source = sourceLauncher();
    Path release = releaseLauncher();
    for (String[] launcher :
        new String[][] {{source.toString(), "bash"}, {release.toString(), "sh"}}) {
      Path l = Path.of(launcher[0]);
      String shell = launcher[1];
      String enqueue = javaArgs(l, shell, Map.of(), "enqueue");
      assertThat(enqueue)
          .as(launcher[0])
          .startsWith("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar ")
          .endsWith(" enqueue");
      for (String shortLived : new String[] {"index", "plan", "status", "show", "search"}) {
        assertThat(javaArgs(l, shell, Map.of(), shortLived))
            .as(launcher[0] + " " + shortLived)
            .contains("-XX:+UseSerialGC");
      }
      String c1 = String.join(" ", BenchWorker.JVM_OPTIONS) + " -jar ";
      for (String modelFacing : new String[] {"worker", "scheduler", "up"}) {
        assertThat(javaArgs(l, shell, Map.of(), modelFacing))
            .as(launcher[0] + " " + modelFacing + ": C1 alone, as the bench's workers run")
            .startsWith(c1)
            .doesNotContain("UseSerialGC");
      }
      for (String longRunning : new String[] {"dashboard", "mcp"}) {
        assertThat(javaArgs(l, shell, Map.of(), longRunning))
            .as(launcher[0] + " " + longRunning)
            .startsWith("-jar ");
      }
      assertThat(javaArgs(l, shell, Map.of("CODEGLOSS_JAVA_OPTS", "-Xmx1g"), "enqueue"))
          .as("the operator's options replace the launcher's")
          .startsWith("-Xmx1g -jar ");
      assertThat(javaArgs(l, shell, Map.of("CODEGLOSS_JAVA_OPTS", ""), "enqueue"))
          .as("even empty")
          .startsWith("-jar ");
    }
  }
}
