package io.codegloss.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

  /** Shared by the tests of this module so that the binaries are extracted once. */
  static final Path BINARIES = Path.of("target", "pg-bin").toAbsolutePath();

  @TempDir Path home;

  private final List<EmbeddedPostgres> opened = new ArrayList<>();

  private EmbeddedPostgres start() {
    return start(options());
  }

  private EmbeddedPostgres start(EmbeddedPostgres.Options options) {
    EmbeddedPostgres pg = EmbeddedPostgres.start(options);
    opened.add(pg);
    return pg;
  }

  private EmbeddedPostgres.Options options() {
    return EmbeddedPostgres.Options.of(home)
        .withBinariesCache(BINARIES)
        .withServerSettings(Map.of("fsync", "off"));
  }

  @AfterEach
  void stopEverything() {
    for (EmbeddedPostgres pg : opened) {
      pg.close();
    }
    EmbeddedPostgres.runningPort(home).ifPresent(p -> EmbeddedPostgres.start(options()).stop());
  }

  @Test
  void keepsItsDataAcrossAStopAndAStart() throws SQLException {
    EmbeddedPostgres first = start();
    assertThat(first.startedHere()).isTrue();
    execute(first, "create table notes (body text)");
    execute(first, "insert into notes values ('survives a restart')");
    first.close();
    assertThat(EmbeddedPostgres.runningPort(home)).isEmpty();
    assertThat(home.resolve("pgdata/postmaster.pid")).doesNotExist();

    EmbeddedPostgres second = start();
    assertThat(second.startedHere()).isTrue();
    assertThat(queryString(second, "select body from notes")).isEqualTo("survives a restart");
  }

  @Test
  void startsAgainAfterTheServerWasKilledAndLeftAStalePidFile() throws SQLException {
    EmbeddedPostgres first = start();
    execute(first, "create table notes (body text)");
    execute(first, "insert into notes values ('committed before the kill')");
    long pid = EmbeddedPostgres.PidFile.read(first.dataDirectory()).orElseThrow().pid();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
    assertThat(home.resolve("pgdata/postmaster.pid")).exists();

    EmbeddedPostgres second = start();
    assertThat(second.startedHere()).isTrue();
    assertThat(queryString(second, "select body from notes"))
        .isEqualTo("committed before the kill");
  }

  @Test
  void aPidFileNamingAnUnrelatedLiveProcessDoesNotBlockTheStart() throws Exception {
    start().close();
    // after a crash, the dead postmaster's pid may be reused by any other program
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    Files.writeString(
        home.resolve("pgdata/postmaster.pid"),
        unrelated.pid() + "\n" + home.resolve("pgdata") + "\n1\n5999\n\n127.0.0.1\n1 2\nready\n");

    try {
      EmbeddedPostgres pg = start();
      assertThat(pg.startedHere()).isTrue();
      assertThat(queryString(pg, "select 'up'")).isEqualTo("up");
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void twoHandlesOnOneHomeShareOneServerAndTheLastOneStopsIt() throws SQLException {
    EmbeddedPostgres first = start();
    EmbeddedPostgres second = start();

    assertThat(first.startedHere()).isTrue();
    assertThat(second.startedHere()).isFalse();
    assertThat(second.port()).isEqualTo(first.port());
    execute(first, "create table shared (n int)");
    execute(first, "insert into shared values (42)");
    assertThat(queryString(second, "select n::text from shared")).isEqualTo("42");

    first.close();
    assertThat(queryString(second, "select n::text from shared")).isEqualTo("42");
    second.close();
    assertThat(EmbeddedPostgres.runningPort(home)).isEmpty();
  }

  @Test
  void aSecondProcessJoinsTheServerOfTheFirstAndLeavesItRunning() throws Exception {
    EmbeddedPostgres mine = start();
    Process child = startChild();
    String[] answer = readLine(child).split(" ");

    assertThat(Integer.parseInt(answer[0])).isEqualTo(mine.port());
    assertThat(answer[1]).isEqualTo("false");
    child.getOutputStream().close();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(queryString(mine, "select 'still up'")).isEqualTo("still up");
  }

  @Test
  void whenTheStarterExitsFirstTheRemainingProcessStopsTheServerLast() throws Exception {
    Process child = startChild();
    String[] answer = readLine(child).split(" ");
    assertThat(answer[1]).isEqualTo("true");

    EmbeddedPostgres mine = start();
    assertThat(mine.startedHere()).isFalse();
    assertThat(mine.port()).isEqualTo(Integer.parseInt(answer[0]));
    child.getOutputStream().close();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(queryString(mine, "select 'still up'")).isEqualTo("still up");

    mine.close();
    assertThat(EmbeddedPostgres.runningPort(home)).isEmpty();
  }

  @Test
  void aServerStartedToKeepRunningOutlivesEveryHandle() throws SQLException {
    EmbeddedPostgres keeper = start(options().withKeepRunning(true));
    keeper.close();
    EmbeddedPostgres visitor = start();
    assertThat(visitor.startedHere()).isFalse();
    visitor.close();

    assertThat(EmbeddedPostgres.runningPort(home)).hasValue(keeper.port());
  }

  @Test
  void runsAsRootThroughTheUserNobodyWhenUserNamespacesAreUnavailable() throws Exception {
    Assumptions.assumeTrue(PgCommands.isRoot(), "only root needs another user");
    Path rootHome = Path.of("/tmp", "cg-nobody-" + ProcessHandle.current().pid());
    EmbeddedPostgres.Options nobody =
        EmbeddedPostgres.Options.of(rootHome)
            .withBinariesCache(rootHome.resolve("pg-bin"))
            .withRunAs(EmbeddedPostgres.RunAs.NOBODY)
            .withServerSettings(Map.of("fsync", "off"));
    try {
      try (EmbeddedPostgres pg = EmbeddedPostgres.start(nobody)) {
        assertThat(pg.startedHere()).isTrue();
        assertThat(Files.getAttribute(pg.dataDirectory(), "unix:uid")).isNotEqualTo(0);
        assertThat(queryString(pg, "select current_user")).isEqualTo("postgres");
      }
      assertThat(EmbeddedPostgres.runningPort(rootHome)).isEmpty();
    } finally {
      PgBinaries.deleteTree(rootHome);
    }
  }

  @Test
  void aDirectoryThatIsNotADataDirectoryIsRefusedInOneLine() throws IOException {
    Files.createDirectories(home.resolve("pgdata"));
    Files.writeString(home.resolve("pgdata/notes.txt"), "mine");

    org.assertj.core.api.Assertions.assertThatThrownBy(this::start)
        .isInstanceOf(io.codegloss.core.error.PermanentException.class)
        .hasMessageContaining("is not a PostgreSQL data directory")
        .hasMessageNotContaining("\n");
  }

  private Process startChild() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            EmbeddedPostgresChild.class.getName(),
            home.toString(),
            BINARIES.toString());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  private static String readLine(Process p) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.matches("\\d+ (true|false)")) {
        return line;
      }
    }
    throw new IOException("the child process ended without answering");
  }

  static void execute(EmbeddedPostgres pg, String sql) throws SQLException {
    try (Connection c =
            EmbeddedPostgres.connect(pg.port(), EmbeddedPostgres.DATABASE, pg.password());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String queryString(EmbeddedPostgres pg, String sql) throws SQLException {
    try (Connection c =
            EmbeddedPostgres.connect(pg.port(), EmbeddedPostgres.DATABASE, pg.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
