package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names are bytes, and the JVM decodes them with the locale's charset: under LC_ALL=C two
 * names that differ only in non-ASCII letters both read "caf??.py". The launcher runs every command
 * in a UTF-8 locale; these tests run the real launcher script (with a stand-in {@code java}, so no
 * build) and a real indexing process in the locale it sets.
 */
class LocaleNamesTest {

  @TempDir Path tmp;

  /** The launcher as shipped, in a root whose jar is newer than every source (no build). */
  private Path launcherWithStubJava() throws IOException {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("cli/target"));
    Path launcher = root.resolve("codegloss");
    Files.copy(Path.of("../codegloss").toAbsolutePath(), launcher);
    Path jar = Files.writeString(root.resolve("cli/target/codegloss.jar"), "stub");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(3600)));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"LC_ALL=$LC_ALL\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return launcher;
  }

  private String launch(Path launcher, Map<String, String> locale) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "status");
    pb.environment().remove("LC_ALL");
    pb.environment().remove("LC_CTYPE");
    pb.environment().remove("LANG");
    pb.environment().putAll(locale);
    pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void theLauncherRunsJavaInAUtf8LocaleWhenTheCallersLocaleIsNot() throws Exception {
    Path launcher = launcherWithStubJava();

    assertThat(launch(launcher, Map.of("LC_ALL", "C"))).isEqualTo("LC_ALL=C.UTF-8");
    assertThat(launch(launcher, Map.of("LANG", "POSIX"))).isEqualTo("LC_ALL=C.UTF-8");
    assertThat(launch(launcher, Map.of())).isEqualTo("LC_ALL=C.UTF-8");
    // a UTF-8 locale of the caller's own is kept
    assertThat(launch(launcher, Map.of("LC_ALL", "C.utf8"))).isEqualTo("LC_ALL=C.utf8");
  }

  @Test
  void inTheLaunchersLocaleNamesThatDifferOnlyInNonAsciiLettersAndInvalidUtf8NamesAllIndex()
      throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    // names as raw bytes: "café.py", "cafè.py" and "caf" + 0xFF + ".py" (not UTF-8 at all)
    Process mk =
        new ProcessBuilder(
                "python3",
                "-c",
                "import os, sys\n"
                    + "d = os.fsencode(sys.argv[1])\n"
                    + "for n in (b'caf\\xc3\\xa9.py', b'caf\\xc3\\xa8.py', b'caf\\xff.py'):\n"
                    + "    open(os.path.join(d, n), 'wb').write(b'def f():\\n    return 1\\n')\n",
                repo.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).as(new String(mk.getInputStream().readAllBytes())).isZero();

    try (TestDatabase db = TestDatabase.fresh()) {
      Map<String, String> env = new HashMap<>(db.childEnvironment());
      env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
      env.put("PATH", System.getenv("PATH"));
      env.put("LC_ALL", "C.UTF-8"); // what the launcher sets
      try (ChildJvm index =
          ChildJvm.start("index", tmp.resolve("logs"), env, "index", repo.toString())) {
        assertThat(index.waitFor(Duration.ofMinutes(2))).as(index.output()).isZero();
      }
      List<String> paths = new ArrayList<>();
      db.database()
          .withConnection(
              c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("select path from files order by path");
                    ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    paths.add(rs.getString(1));
                  }
                }
                return null;
              });
      assertThat(paths).containsExactlyInAnyOrder("café.py", "cafè.py", "caf\uFFFD.py");
    }
  }
}
