package io.codegloss.core.db;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.PermanentException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/** Opens the database a process works on: CODEGLOSS_DB_URL if set, else the embedded server. */
public final class Databases {

  public static final String HOME = "CODEGLOSS_HOME";

  private Databases() {}

  /** {@code CODEGLOSS_HOME}, default {@code ~/.codegloss}; a leading {@code ~/} is expanded. */
  public static Path home(Settings settings) {
    String userHome = System.getProperty("user.home");
    return settings
        .optional(HOME)
        .map(h -> h.equals("~") ? userHome : h.startsWith("~/") ? userHome + h.substring(1) : h)
        .map(Path::of)
        .orElse(Path.of(userHome, ".codegloss"))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Connects, or starts/joins the embedded server under {@code home}. Failing to reach the server
   * or to log in is a one-line {@link PermanentException} naming the url without its password.
   */
  public static OpenDatabase open(DbSettings settings, Path home, String poolName, int poolSize) {
    String url = settings.url();
    if (url != null) {
      probe(url, settings.user(), settings.password());
      Database db =
          Database.connect(
              url,
              settings.user(),
              settings.password(),
              poolSize,
              poolName,
              settings.socketTimeoutSeconds());
      return new OpenDatabase(db, url, settings.user(), settings.password(), null);
    }
    EmbeddedPostgres pg = EmbeddedPostgres.start(home, settings.keepEmbedded());
    try {
      Database db =
          Database.connect(
              pg.jdbcUrl(),
              pg.user(),
              pg.password(),
              poolSize,
              poolName,
              settings.socketTimeoutSeconds());
      return new OpenDatabase(db, pg.jdbcUrl(), pg.user(), pg.password(), pg);
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * One plain connection before the pool exists: the pool would wait its full timeout and then
   * report its own "connection is not available" instead of the server's reason.
   */
  private static void probe(String url, @Nullable String user, @Nullable String password) {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "15");
    try (Connection c = new org.postgresql.Driver().connect(url, props)) {
      if (c == null) {
        throw new PermanentException(
            "cannot connect to the database at "
                + Database.redact(url)
                + ": not a PostgreSQL JDBC url (jdbc:postgresql://host:port/database)");
      }
    } catch (SQLException e) {
      throw new PermanentException(
          "cannot connect to the database at "
              + Database.redact(url)
              + ": "
              + Database.firstLine(e.getMessage()),
          e);
    }
  }
}
