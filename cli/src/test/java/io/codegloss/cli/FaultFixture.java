package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the outage and partition end-to-end tests stand on: a PostgreSQL of the test alone (the
 * shared test server must not go down under other tests), which the test stops and starts again on
 * the same port, and the codegloss JVMs it runs against it, killed at the end. One test, one
 * fixture, in the test's own {@code @TempDir}; closing it closes what it started, last first.
 */
final class FaultFixture implements AutoCloseable {

  /** The production console: the test classpath carries a logback that prints stack traces. */
  static final List<String> PRODUCTION_LOGGING =
      List.of(
          "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());

  private static final Pattern ENDPOINT = Pattern.compile("ENDPOINT (\\S+) (\\S+)");

  private final Path tmp;
  private final EmbeddedPostgres.Options options;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private EmbeddedPostgres pg;
  private ChildJvm lastEndpoint;

  private FaultFixture(Path tmp, EmbeddedPostgres.Options options, EmbeddedPostgres pg) {
    this.tmp = tmp;
    this.options = options;
    this.pg = pg;
  }

  static FaultFixture start(Path tmp) throws Exception {
    return start(tmp, Map.of());
  }

  /** {@code serverSettings}: postgresql.conf settings on top of the tests' fsync off. */
  static FaultFixture start(Path tmp, Map<String, String> serverSettings) throws Exception {
    Map<String, String> settings = new HashMap<>(serverSettings);
    settings.put("fsync", "off");
    settings.put("synchronous_commit", "off");
    EmbeddedPostgres.Options options =
        EmbeddedPostgres.Options.of(tmp.resolve("pg"))
            .withBinariesCache(
                Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "codegloss-pg-bin-" + System.getProperty("user.name")))
            .withServerSettings(settings);
    Files.createDirectories(options.home());
    return new FaultFixture(tmp, options, EmbeddedPostgres.start(options));
  }

  EmbeddedPostgres pg() {
    return pg;
  }

  /** A pool on the database, migrated; the caller closes it. */
  Database migratedDatabase(int poolSize, String poolName) {
    Database db = Database.connect(pg.jdbcUrl(), pg.user(), pg.password(), poolSize, poolName);
    DbMigrations.apply(db.dataSource());
    return db;
  }

  /** The outage begins: the server stops, every connection to it breaks. */
  void stopDatabase() {
    pg.stop();
  }

  /** The outage ends: the server is back where the processes' pools look for it. */
  void startDatabaseAgain() {
    int port = pg.port();
    pg = EmbeddedPostgres.start(options);
    assertThat(pg.port()).as("the database came back on its port").isEqualTo(port);
  }

  /**
   * A database that a process in {@code ns} can log in to, with a password, as from another
   * machine: the server listens on the host end of the veth too.
   */
  static FaultFixture startReachableFrom(Path tmp, NetNs ns) throws Exception {
    FaultFixture f = start(tmp, Map.of("listen_addresses", "127.0.0.1," + ns.hostAddress));
    try {
      Files.writeString(
          f.pg().dataDirectory().resolve("pg_hba.conf"),
          "\nhost all all " + ns.nsAddress + "/32 scram-sha-256\n",
          StandardOpenOption.APPEND);
      f.stopDatabase();
      f.startDatabaseAgain();
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  /** The database's JDBC url as a process in {@code ns} reaches it. */
  String jdbcUrlFrom(NetNs ns) {
    return "jdbc:postgresql://" + ns.hostAddress + ":" + pg.port() + "/codegloss";
  }

  /** An endpoint's base url and the model name it reports. */
  record Endpoint(String baseUrl, String model) {}

  /**
   * The bench's FIXED-LATENCY ENDPOINT (no model) answering after {@code latencyMillis}, started in
   * {@code ns} (a worker there reaches its own 127.0.0.1), closed with the fixture.
   */
  Endpoint startEndpointIn(NetNs ns, long latencyMillis) {
    ChildJvm endpoint =
        closeAtEnd(
            ChildJvm.startWrapped(
                ns.exec(),
                "endpoint-ns",
                logs(),
                Map.of("PATH", System.getenv("PATH")),
                List.of(),
                NamespacedEndpointMain.class,
                Long.toString(latencyMillis)));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> ENDPOINT.matcher(endpoint.output()).find());
    Matcher m = ENDPOINT.matcher(endpoint.output());
    assertThat(m.find()).isTrue();
    lastEndpoint = endpoint;
    return new Endpoint(m.group(1), m.group(2));
  }

  /**
   * {@code codegloss args...} in a JVM of its own inside {@code ns}, with the production console.
   */
  ChildJvm startIn(NetNs ns, String name, Map<String, String> env, String... args) {
    return closeAtEnd(
        ChildJvm.startWrapped(
            ns.exec(), name, logs(), env, PRODUCTION_LOGGING, CodeglossMain.class, args));
  }

  /** The output of the endpoint {@link #startEndpointIn} started last. */
  String endpointOutput() {
    return lastEndpoint.output();
  }

  /**
   * A codegloss process's environment on this database (reached at {@code dbUrl}, which names
   * another of its addresses where the process runs elsewhere), with fast JobRunr timings.
   */
  Map<String, String> env(String dbUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("CODEGLOSS_DB_URL", dbUrl);
    env.put("CODEGLOSS_DB_USER", pg.user());
    env.put("CODEGLOSS_DB_PASSWORD", pg.password());
    env.put("CODEGLOSS_HOME", tmp.resolve("home").toString());
    env.put("CODEGLOSS_POLL_SECONDS", "5");
    env.put("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", "4");
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  Map<String, String> env() {
    return env(pg.jdbcUrl());
  }

  /**
   * {@code env} with the model behind an OpenAI-compatible endpoint (the bench's fixed-latency one:
   * these tests assert who completes a job and how often, not the note's quality).
   */
  static Map<String, String> withEndpoint(Map<String, String> env, String baseUrl, String model) {
    env.put("CODEGLOSS_BACKEND", "openai");
    env.put("OPENAI_BASE_URL", baseUrl);
    env.put("CODEGLOSS_MODEL", model);
    env.put("OPENAI_API_KEY", "");
    env.put("CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema");
    return env;
  }

  /** {@code codegloss args...} in a JVM of its own with the production console, as run. */
  ChildJvm start(String name, Map<String, String> env, String... args) {
    return closeAtEnd(ChildJvm.start(name, logs(), env, PRODUCTION_LOGGING, args));
  }

  /** Where the child JVMs write their output. */
  Path logs() {
    return tmp.resolve("logs");
  }

  /** {@code resource} is closed with the fixture, before what was started earlier. */
  <T extends AutoCloseable> T closeAtEnd(T resource) {
    started.push(resource);
    return resource;
  }

  /** A repository of one Python function: one span, one job. */
  Path oneFunctionRepo() throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(
        repo.resolve("calc.py"),
        "def add(a, b):\n    \"\"\"Adds two numbers.\"\"\"\n    return a + b\n");
    return repo;
  }

  @Override
  public void close() throws Exception {
    try {
      while (!started.isEmpty()) {
        started.pop().close();
      }
    } finally {
      if (EmbeddedPostgres.isRunning(options.home())) {
        pg.stop();
      }
    }
  }
}
