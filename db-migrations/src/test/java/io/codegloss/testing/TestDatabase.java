package io.codegloss.testing;

import io.codegloss.core.db.Database;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.migrations.DbMigrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh, migrated, empty PostgreSQL database for one test, on a server shared by the whole JVM.
 *
 * <p>The server is chosen once per JVM: Testcontainers when a Docker engine is available, otherwise
 * the same embedded PostgreSQL that production uses (in a temporary home), otherwise a local server
 * on localhost:5432. {@code CODEGLOSS_TEST_DB=docker|embedded|local} forces one; {@code
 * CODEGLOSS_TEST_DB_URL} (+ {@code _USER}, {@code _PASSWORD}) names any server with the right to
 * create databases. Tests behave the same on each.
 *
 * <p>Each {@link #fresh()} copies a template database that was migrated once ({@code CREATE
 * DATABASE ... TEMPLATE}), so tests are isolated and a new database costs tens of milliseconds.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.fresh()) {
 *   db.database().inTransaction(c -> ...);
 *   // child JVMs: CODEGLOSS_DB_URL=db.jdbcUrl(), CODEGLOSS_DB_USER=db.user(), ...
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  private static final int POOL_SIZE = 8;
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  private final String name;
  private final Database database;
  private final String jdbcUrl;
  private final Server server;

  private TestDatabase(String name, Database database, String jdbcUrl, Server server) {
    this.name = name;
    this.database = database;
    this.jdbcUrl = jdbcUrl;
    this.server = server;
  }

  /** A new empty database with the current schema (codegloss and JobRunr tables). */
  public static TestDatabase fresh() {
    Server server = Holder.SERVER;
    long t0 = System.nanoTime();
    String name = "cg_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    server.createFromTemplate(name);
    LIVE.add(name);
    String url = server.jdbcUrl(name);
    Database db = Database.connect(url, server.user(), server.password(), POOL_SIZE, name);
    log.debug("fresh test database {} in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    return new TestDatabase(name, db, url, server);
  }

  /**
   * A new database without any tables, for tests of migrations themselves; everyone else wants
   * {@link #fresh()}.
   */
  public static TestDatabase blank() {
    Server server = Holder.SERVER;
    String name = "cg_blank_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    server.execute("create database " + name);
    LIVE.add(name);
    String url = server.jdbcUrl(name);
    Database db = Database.connect(url, server.user(), server.password(), POOL_SIZE, name);
    return new TestDatabase(name, db, url, server);
  }

  /** Which kind of server this JVM uses: "docker", "embedded" or "local". */
  public static String serverKind() {
    return Holder.SERVER.kind();
  }

  public Database database() {
    return database;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return server.user();
  }

  public String password() {
    return server.password();
  }

  /** The database name, e.g. {@code cg_test_1234_7}. */
  public String name() {
    return name;
  }

  /** Environment for a child JVM that should work on this database. */
  public Map<String, String> childEnvironment() {
    return Map.of(
        "CODEGLOSS_DB_URL",
        jdbcUrl,
        "CODEGLOSS_DB_USER",
        user(),
        "CODEGLOSS_DB_PASSWORD",
        password());
  }

  @Override
  public void close() {
    database.close();
    server.drop(name);
    LIVE.remove(name);
  }

  // ------------------------------------------------------------------ the server

  private static final class Holder {
    static final Server SERVER = Server.choose();
  }

  private record Server(
      String kind, String urlPrefix, String adminDb, String user, String password, Runnable stop) {

    private static final String TEMPLATE = "cg_template_" + ProcessHandle.current().pid();

    String jdbcUrl(String db) {
      return urlPrefix + db;
    }

    static Server choose() {
      long t0 = System.nanoTime();
      Server s = pick();
      s.prepareTemplate();
      Runtime.getRuntime().addShutdownHook(new Thread(s::shutdown, "codegloss-test-db-stop"));
      log.info(
          "test PostgreSQL: {} at {} ready in {} ms",
          s.kind,
          s.urlPrefix,
          (System.nanoTime() - t0) / 1_000_000);
      return s;
    }

    private static Server pick() {
      String forced = setting("CODEGLOSS_TEST_DB").toLowerCase(Locale.ROOT);
      String url = setting("CODEGLOSS_TEST_DB_URL");
      if (!url.isEmpty()) {
        return external(
            "local", url, setting("CODEGLOSS_TEST_DB_USER"), setting("CODEGLOSS_TEST_DB_PASSWORD"));
      }
      List<String> reasons = new ArrayList<>();
      if (forced.isEmpty() || forced.equals("docker")) {
        try {
          if (DockerServer.available()) {
            return DockerServer.start();
          }
          reasons.add("docker: no Docker engine");
        } catch (RuntimeException | LinkageError e) {
          reasons.add("docker: " + e.getMessage());
        }
      }
      if (forced.isEmpty() || forced.equals("embedded")) {
        try {
          return embedded();
        } catch (RuntimeException e) {
          reasons.add("embedded: " + e.getMessage());
          log.warn("embedded PostgreSQL unavailable for tests: {}", e.getMessage());
        }
      }
      if (forced.isEmpty() || forced.equals("local")) {
        String user = setting("PGUSER");
        String password = setting("PGPASSWORD");
        try {
          return external(
              "local",
              "jdbc:postgresql://localhost:5432/postgres",
              user.isEmpty() ? "postgres" : user,
              password.isEmpty() ? "postgres" : password);
        } catch (RuntimeException e) {
          reasons.add("local: " + e.getMessage());
        }
      }
      throw new IllegalStateException(
          "no PostgreSQL for tests (" + String.join("; ", reasons) + ")");
    }

    private static Server embedded() {
      Path home;
      try {
        home = Files.createTempDirectory("codegloss-testdb-");
        // "nobody" (the fallback for root without user namespaces) must be able to enter it
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temporary home: " + e.getMessage(), e);
      }
      Path binaries =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "codegloss-pg-bin-" + System.getProperty("user.name"));
      EmbeddedPostgres pg =
          EmbeddedPostgres.start(
              EmbeddedPostgres.Options.of(home)
                  .withBinariesCache(binaries)
                  .withServerSettings(
                      Map.of(
                          "fsync", "off",
                          "synchronous_commit", "off",
                          "full_page_writes", "off")));
      Runnable stop =
          () -> {
            pg.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (EmbeddedPostgres.isRunning(home) && System.nanoTime() < deadline) {
              sleep(50);
            }
            TestFiles.deleteTree(home);
          };
      return new Server(
          "embedded",
          "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/",
          "postgres",
          pg.user(),
          pg.password(),
          stop);
    }

    static Server external(String kind, String url, String user, String password) {
      int slash = url.indexOf('/', "jdbc:postgresql://".length());
      if (!url.startsWith("jdbc:postgresql://") || slash < 0) {
        throw new IllegalArgumentException("expected jdbc:postgresql://host:port/db, got " + url);
      }
      String prefix = url.substring(0, slash + 1);
      String rest = url.substring(slash + 1);
      String adminDb = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
      Server s =
          new Server(
              kind, prefix, adminDb.isEmpty() ? "postgres" : adminDb, user, password, () -> {});
      try (Connection c = s.admin()) {
        c.isValid(5);
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return s;
    }

    Connection admin() throws SQLException {
      return DriverManager.getConnection(jdbcUrl(adminDb), user, password);
    }

    void prepareTemplate() {
      execute("drop database if exists " + TEMPLATE);
      execute("create database " + TEMPLATE);
      try (Database db = Database.connect(jdbcUrl(TEMPLATE), user, password, 4, TEMPLATE)) {
        DbMigrations.apply(db.dataSource());
      }
    }

    synchronized void createFromTemplate(String name) {
      // the template's last pooled sessions may take a moment to end on the server side
      for (int attempt = 1; ; attempt++) {
        try (Connection c = admin();
            Statement st = c.createStatement()) {
          st.execute("create database " + name + " template " + TEMPLATE);
          return;
        } catch (SQLException e) {
          if (attempt >= 50 || !String.valueOf(e.getMessage()).contains("accessed by other")) {
            throw new IllegalStateException(
                "cannot create test database " + name + ": " + e.getMessage(), e);
          }
          sleep(100);
        }
      }
    }

    void drop(String name) {
      try {
        execute("drop database if exists " + name + " with (force)");
      } catch (IllegalStateException e) {
        log.warn("cannot drop test database {}: {}", name, e.getMessage());
      }
    }

    void execute(String sql) {
      try (Connection c = admin();
          Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql + ": " + e.getMessage(), e);
      }
    }

    void shutdown() {
      if (kind.equals("local")) {
        // a shared server outlives this JVM: leave it as we found it
        for (String name : LIVE) {
          drop(name);
        }
        drop(TEMPLATE);
      }
      stop.run();
    }
  }

  /** Kept apart so that Testcontainers is only loaded when it is on the classpath and used. */
  private static final class DockerServer {
    static boolean available() {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    static Server start() {
      org.testcontainers.containers.PostgreSQLContainer<?> container =
          new org.testcontainers.containers.PostgreSQLContainer<>("postgres:16-alpine")
              .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
      container.start();
      String url = container.getJdbcUrl();
      int slash = url.indexOf('/', "jdbc:postgresql://".length());
      return new Server(
          "docker",
          url.substring(0, slash + 1),
          container.getDatabaseName(),
          container.getUsername(),
          container.getPassword(),
          container::stop);
    }
  }

  private static String setting(String name) {
    String v = System.getProperty(name);
    if (v == null) {
      v = System.getenv(name);
    }
    return v == null ? "" : v.strip();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
