package io.codegloss.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasesTest {

  @TempDir static Path serverHome;
  static EmbeddedPostgres server;

  @BeforeAll
  static void startServer() {
    server =
        EmbeddedPostgres.start(
            EmbeddedPostgres.Options.of(serverHome)
                .withBinariesCache(EmbeddedPostgresTest.BINARIES)
                .withServerSettings(Map.of("fsync", "off")));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void connectsToTheDatabaseNamedByTheUrl() {
    try (OpenDatabase db =
        Databases.open(
            new DbSettings(server.jdbcUrl(), server.user(), server.password()),
            serverHome,
            "test",
            2)) {
      assertThat(db.embedded()).isFalse();
      assertThat(db.jdbcUrl()).isEqualTo(server.jdbcUrl());
      boolean valid = db.database().withConnection(c -> c.isValid(5));
      assertThat(valid).isTrue();
    }
  }

  @Test
  void aConnectionWaitsForAnAnswerAtMostTheSocketTimeoutAndTheUrlsOwnWins() {
    assertThat(networkTimeoutMillis(Map.of())).isEqualTo(300_000);
    assertThat(networkTimeoutMillis(Map.of(DbSettings.SOCKET_TIMEOUT, "7"))).isEqualTo(7_000);
    assertThat(networkTimeoutMillis(Map.of(DbSettings.SOCKET_TIMEOUT, "0"))).isZero();
    assertThat(networkTimeoutMillis(Map.of(DbSettings.SOCKET_TIMEOUT, "7"), "?socketTimeout=3"))
        .isEqualTo(3_000);
  }

  private static int networkTimeoutMillis(Map<String, String> env) {
    return networkTimeoutMillis(env, "");
  }

  private static int networkTimeoutMillis(Map<String, String> env, String urlSuffix) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put(DbSettings.URL, server.jdbcUrl() + urlSuffix);
    all.put(DbSettings.USER, server.user());
    all.put(DbSettings.PASSWORD, server.password());
    try (OpenDatabase db =
        Databases.open(DbSettings.from(Settings.of(all)), serverHome, "test", 2)) {
      return db.database().withConnection(c -> c.getNetworkTimeout());
    }
  }

  @Test
  void badCredentialsAreOneLineNamingTheUrlButNeverThePassword() {
    String url = server.jdbcUrl() + "?password=sekrit-in-url";
    assertThatThrownBy(
            () ->
                Databases.open(
                    new DbSettings(url, "postgres", "wrong-password"), serverHome, "test", 2))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("cannot connect to the database at " + server.jdbcUrl())
        .hasMessageContaining("password=***")
        .hasMessageContaining("password authentication failed for user \"postgres\"")
        .hasMessageNotContaining("sekrit")
        .hasMessageNotContaining("wrong-password")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anUnreachableServerIsOneLineNamingTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/codegloss";
    assertThatThrownBy(
            () -> Databases.open(new DbSettings(url, "postgres", "pw"), serverHome, "test", 2))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("cannot connect to the database at " + url + ": ")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("\n");
  }

  @Test
  void withoutAUrlItStartsTheEmbeddedServerUnderTheHomeAndStopsItOnClose(@TempDir Path home) {
    try (OpenDatabase db = Databases.open(new DbSettings(null, null, null), home, "test", 2)) {
      assertThat(db.embedded()).isTrue();
      assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/codegloss");
      String catalog = db.database().withConnection(c -> c.getCatalog());
      assertThat(catalog).isEqualTo("codegloss");
      assertThat(home.resolve("pgdata/PG_VERSION")).exists();
    }
    assertThat(EmbeddedPostgres.runningPort(home)).isEmpty();
  }

  @Test
  void settingsComeFromTheCodeglossVariables() {
    DbSettings s =
        DbSettings.from(
            Settings.of(
                Map.of(
                    "CODEGLOSS_DB_URL", "jdbc:postgresql://db:5432/cg",
                    "CODEGLOSS_DB_USER", "cg",
                    "CODEGLOSS_DB_PASSWORD", "pw",
                    "CODEGLOSS_EMBEDDED_KEEP", "on")));
    assertThat(s).isEqualTo(new DbSettings("jdbc:postgresql://db:5432/cg", "cg", "pw", true));
    assertThat(s.toString()).doesNotContain("pw,").contains("password=***");
    assertThat(DbSettings.from(Settings.of(Map.of())).embedded()).isTrue();
  }

  @Test
  void aHostedServiceUrlWithCredentialsBecomesAJdbcUrlWithoutThem() {
    DbSettings s =
        DbSettings.from(
            Settings.of(
                Map.of(
                    "CODEGLOSS_DB_URL",
                    "postgres://alice:p%40ss@db.example:6543/work?sslmode=require")));
    assertThat(s.url()).isEqualTo("jdbc:postgresql://db.example:6543/work?sslmode=require");
    assertThat(s.user()).isEqualTo("alice");
    assertThat(s.password()).isEqualTo("p@ss");
  }

  @Test
  void aUrlThatIsNotPostgresIsAConfigErrorNamingTheVariable() {
    assertThatThrownBy(
            () -> DbSettings.from(Settings.of(Map.of("CODEGLOSS_DB_URL", "mysql://db/cg"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CODEGLOSS_DB_URL");
  }

  @Test
  void theHomeDefaultsToDotCodeglossAndExpandsTheTilde() {
    String userHome = System.getProperty("user.home");
    assertThat(Databases.home(Settings.of(Map.of()))).isEqualTo(Path.of(userHome, ".codegloss"));
    assertThat(Databases.home(Settings.of(Map.of("CODEGLOSS_HOME", "~/cg"))))
        .isEqualTo(Path.of(userHome, "cg"));
  }
}
