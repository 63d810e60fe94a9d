package io.codegloss.dashboard;

import io.codegloss.core.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL for tests, started once per JVM, with a fresh migrated database per call.
 *
 * <p>Which server, decided once: {@code CODEGLOSS_TEST_DB_URL} (+ {@code _USER}, {@code _PASSWORD})
 * pointing at a running server's admin database; otherwise zonky's embedded PostgreSQL; and, when
 * running as root (PostgreSQL refuses to run as root, which rules out the embedded one), the
 * machine's own PostgreSQL binaries started as the {@code postgres} user in a throw-away data
 * directory.
 */
public final class TestPostgres {

  private record Server(String adminUrl, String user, String password) {}

  private static Server server;
  private static final AtomicInteger databases = new AtomicInteger();

  private TestPostgres() {}

  /** A new, empty database with schema V1 and later migrations applied. */
  public static Database freshDatabase() {
    Server s = server();
    String name = "dash_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
        Statement st = c.createStatement()) {
      st.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
    }
    String url = s.adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    Flyway.configure()
        .dataSource(url, s.user(), s.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return Database.connect(url, s.user(), s.password(), 4, "test-" + name);
  }

  private static synchronized Server server() {
    if (server == null) {
      server = start();
    }
    return server;
  }

  private static Server start() {
    String url = System.getenv("CODEGLOSS_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return new Server(
          url,
          System.getenv("CODEGLOSS_TEST_DB_USER"),
          System.getenv("CODEGLOSS_TEST_DB_PASSWORD"));
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      try {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
        return new Server(pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return startLocalAsPostgresUser();
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      // the JVM is exiting anyway
    }
  }

  private static Server startLocalAsPostgresUser() {
    Path bin = localPostgresBin();
    try {
      Path dir = Files.createTempDirectory("codegloss-test-pg-");
      run(List.of("chown", "postgres", dir.toString()));
      Path data = dir.resolve("data");
      asPostgres(
          bin.resolve("initdb"),
          "-D",
          data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync",
          "--locale=C.UTF-8");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      asPostgres(
          bin.resolve("pg_ctl"),
          "-D",
          data.toString(),
          "-w",
          "-l",
          dir.resolve("server.log").toString(),
          "-o",
          "-p "
              + port
              + " -k "
              + dir
              + " -c listen_addresses=127.0.0.1 -c fsync=off"
              + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
          "start");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      asPostgres(
                          bin.resolve("pg_ctl"), "-D", data.toString(), "-m", "immediate", "stop");
                      deleteTree(dir);
                    } catch (RuntimeException | IOException e) {
                      // best effort: a leftover temp directory is harmless
                    }
                  }));
      return new Server("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path localPostgresBin() {
    Path base = Path.of("/usr/lib/postgresql");
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "tests run as root need PostgreSQL's server binaries under /usr/lib/postgresql"
              + " (apt-get install postgresql) or CODEGLOSS_TEST_DB_URL",
          e);
    }
  }

  private static void asPostgres(Path program, String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("runuser", "-u", "postgres", "--", program.toString()));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd).toLowerCase(Locale.ROOT) + " failed: " + new String(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
