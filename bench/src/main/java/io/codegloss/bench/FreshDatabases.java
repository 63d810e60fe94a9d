package io.codegloss.bench;

import io.codegloss.core.db.AdminSql;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.core.error.PermanentException;
import io.codegloss.migrations.DbMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new, empty, migrated database for every measured run, so that no run sees another's spans, jobs
 * or statistics. With {@code CODEGLOSS_DB_URL} set they are created on that server (the user needs
 * the right to create databases) and dropped afterwards; without it, a private embedded PostgreSQL
 * is started in a temporary directory (the user's own embedded database under CODEGLOSS_HOME is
 * never touched; only its extracted binaries are reused).
 */
final class FreshDatabases implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FreshDatabases.class);

  /** One fresh database: a pool for this process, and how child processes reach it. */
  record Fresh(String name, String jdbcUrl, String user, String password) {
    /** A new pool on this database (close it before the run's statistics are read). */
    Database connect(int poolSize, String poolName) {
      return Database.connect(jdbcUrl, user, password, poolSize, poolName);
    }
  }

  private final String adminUrl;
  private final String urlPrefix;
  private final String urlSuffix;
  private final String user;
  private final String password;
  private final String where;
  private final @Nullable EmbeddedPostgres embedded;
  private final @Nullable Path embeddedHome;
  private final List<String> created = new ArrayList<>();
  private final String prefix = "cg_bench_" + ProcessHandle.current().pid() + "_";

  private FreshDatabases(
      String adminUrl,
      String urlPrefix,
      String urlSuffix,
      String user,
      String password,
      String where,
      @Nullable EmbeddedPostgres embedded,
      @Nullable Path embeddedHome) {
    this.adminUrl = adminUrl;
    this.urlPrefix = urlPrefix;
    this.urlSuffix = urlSuffix;
    this.user = user;
    this.password = password;
    this.where = where;
    this.embedded = embedded;
    this.embeddedHome = embeddedHome;
  }

  static FreshDatabases open(DbSettings settings, Path home) {
    if (settings.url() != null) {
      String url = settings.url();
      int slash = url.indexOf('/', "jdbc:postgresql://".length());
      if (!url.startsWith("jdbc:postgresql://") || slash < 0) {
        throw new PermanentException(
            "bench: CODEGLOSS_DB_URL must look like jdbc:postgresql://host:port/database");
      }
      String rest = url.substring(slash + 1);
      int q = rest.indexOf('?');
      String suffix = q < 0 ? "" : rest.substring(q);
      return new FreshDatabases(
          url,
          url.substring(0, slash + 1),
          suffix,
          settings.user(),
          settings.password(),
          "the server of CODEGLOSS_DB_URL (" + Database.redact(url.substring(0, slash)) + ")",
          null,
          null);
    }
    try {
      Path tmp = Files.createTempDirectory("codegloss-bench-pg-");
      // PostgreSQL may run as an unprivileged user when we are root: it must be able to enter.
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      EmbeddedPostgres pg =
          EmbeddedPostgres.start(
              EmbeddedPostgres.Options.of(tmp).withBinariesCache(home.resolve("pg-bin")));
      return new FreshDatabases(
          pg.jdbcUrl("postgres"),
          "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/",
          "",
          pg.user(),
          pg.password(),
          "a private embedded PostgreSQL (temporary, port " + pg.port() + ")",
          pg,
          tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the databases live, for the report (no password). */
  String where() {
    return where;
  }

  /** Creates and migrates {@code cg_bench_<pid>_<label>}. */
  Fresh create(String label) {
    String name = prefix + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    execute("drop database if exists " + name);
    execute("create database " + name);
    created.add(name);
    String url = urlPrefix + name + urlSuffix;
    try (Database db = Database.connect(url, user, password, 4, name)) {
      DbMigrations.apply(db.dataSource());
    }
    return new Fresh(name, url, user, password);
  }

  private void execute(String sql) {
    try {
      AdminSql.execute(adminUrl, user, password, sql);
    } catch (SQLException e) {
      throw new PermanentException(
          "bench: '"
              + sql
              + "' failed on "
              + where
              + " (the benchmark needs the right to create databases): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    for (String name : created) {
      try {
        execute("drop database if exists " + name + " with (force)");
      } catch (PermanentException e) {
        log.warn("could not drop benchmark database {}: {}", name, e.getMessage());
      }
    }
    if (embedded != null) {
      embedded.stop();
      deleteTree(embeddedHome);
    }
  }

  private static void deleteTree(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a temporary directory; the OS cleans up what is left
                }
              });
    } catch (IOException e) {
      // same
    }
  }
}
