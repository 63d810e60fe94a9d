package io.codegloss.migrations;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.jobrunr.JobRunrException;
import org.jobrunr.storage.sql.common.DatabaseCreator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database up to this build's schema: codegloss's Flyway migrations ({@code db/migration})
 * and JobRunr's own tables. This is the only place that creates JobRunr's tables; every other
 * component opens JobRunr with {@code DatabaseOptions.SKIP_CREATE}.
 *
 * <p>Several processes may start at once (scheduler, workers, dashboard), so the whole step runs
 * under one PostgreSQL advisory lock: the first migrates, the others wait and then find nothing to
 * do.
 */
public final class DbMigrations {

  private static final Logger log = LoggerFactory.getLogger(DbMigrations.class);

  /** The advisory lock key; every codegloss version must keep it. ASCII "cgmigrat". */
  static final long LOCK_KEY = 0x63676d6967726174L;

  private static final String LOCK_TIMEOUT = "300s";

  /**
   * The newest migration under {@code db/migration}; a test keeps the two in step. Part of {@link
   * #STAMP}.
   */
  static final String SCHEMA_VERSION = "13";

  /** What a complete migration by this build leaves in {@code schema_stamp}. */
  static final String STAMP = "codegloss " + SCHEMA_VERSION + " / jobrunr " + jobrunrVersion();

  /**
   * @param schemaVersion the codegloss schema version after migrating
   * @param migrationsExecuted how many codegloss migrations ran now (0 when already current)
   */
  public record Result(String schemaVersion, int migrationsExecuted) {}

  private DbMigrations() {}

  /**
   * Migrates the database behind {@code dataSource}. The pool needs at least three connections: one
   * holds the lock while Flyway uses two.
   *
   * @throws PermanentException when the schema is newer than this build, a migration fails, or
   *     another process held the lock for more than five minutes
   */
  public static Result apply(DataSource pool) {
    long t0 = System.nanoTime();
    if (stamped(pool)) {
      // Every process start lands here; Flyway's scan and JobRunr's check cost about a second.
      log.debug("database schema already at {}", STAMP);
      return new Result(SCHEMA_VERSION, 0);
    }
    DataSource dataSource = withoutSocketTimeout(pool);
    try (Connection lock = dataSource.getConnection()) {
      acquire(lock);
      try {
        Flyway flyway =
            Flyway.configure(DbMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        refuseNewerSchema(flyway.info().all());
        MigrateResult migrated = flyway.migrate();
        new DatabaseCreator(dataSource, PostgresStorageProvider.class).runMigrations();
        seedJobRunrStartupMetadata(lock);
        stamp(lock);
        String version =
            migrated.targetSchemaVersion != null
                ? migrated.targetSchemaVersion
                : Objects.toString(migrated.initialSchemaVersion, "none");
        log.info(
            "database schema at version {} ({} migrations applied now) in {} ms",
            version,
            migrated.migrationsExecuted,
            (System.nanoTime() - t0) / 1_000_000);
        return new Result(version, migrated.migrationsExecuted);
      } finally {
        release(lock);
      }
    } catch (SQLException e) {
      if ("55P03".equals(e.getSQLState())) {
        throw new PermanentException(
            "another codegloss process has been migrating this database for over "
                + LOCK_TIMEOUT
                + "; is it stuck?",
            e);
      }
      throw Database.translate(e);
    } catch (FlywayException e) {
      throw new PermanentException("database migration failed: " + firstLine(e.getMessage()), e);
    } catch (JobRunrException e) {
      throw new PermanentException(
          "creating JobRunr's tables failed: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * The pool's connections without the socket timeout ({@code
   * CODEGLOSS_DB_SOCKET_TIMEOUT_SECONDS}): waiting for another process's migration ({@link
   * #LOCK_TIMEOUT} bounds that) or one long statement of a migration (an index over a large table)
   * is not a server that stopped answering. HikariCP puts the pool's timeout back when a connection
   * is returned.
   */
  private static DataSource withoutSocketTimeout(DataSource pool) {
    return (DataSource)
        Proxy.newProxyInstance(
            DbMigrations.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(pool, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (result instanceof Connection c) {
                c.setNetworkTimeout(Runnable::run, 0);
              }
              return result;
            });
  }

  /** True when a complete migration by a build like this one already ran on this database. */
  private static boolean stamped(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("select stamp from schema_stamp")) {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && STAMP.equals(rs.getString(1));
      }
    } catch (SQLException e) {
      // a new database, or one older than the stamp: the full path below decides
      return false;
    }
  }

  /**
   * JobRunr's master runs startup tasks that each read a row of {@code jobrunr_metadata} and insert
   * it when missing (the cluster id; the mark that scheduled jobs of JobRunr 5 were migrated, which
   * a codegloss database never had). Servers starting at once on a fresh database, as {@code up}'s
   * scheduler and worker do, may both think they are master at first: both insert, one fails on the
   * primary key and its thread dies with an ERROR on the console (seen on the README's main
   * command). Written here, under the migration lock, the rows are found and no task inserts.
   */
  private static void seedJobRunrStartupMetadata(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into jobrunr_metadata (id, name, owner, value, createdAt, updatedAt)"
                + " values (? || '-cluster', ?, 'cluster', ?, now(), now())"
                + " on conflict (id) do nothing")) {
      ps.setString(1, "id");
      ps.setString(2, "id");
      ps.setString(3, UUID.randomUUID().toString());
      ps.addBatch();
      ps.setString(1, "database_version");
      ps.setString(2, "database_version");
      ps.setString(3, "6.0.0");
      ps.addBatch();
      ps.executeBatch();
    }
  }

  private static void stamp(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into schema_stamp (stamp) values (?)"
                + " on conflict (id) do update set stamp = excluded.stamp, updated_at = now()")) {
      ps.setString(1, STAMP);
      ps.executeUpdate();
    }
  }

  private static String jobrunrVersion() {
    Properties p = new Properties();
    try (InputStream in =
        DbMigrations.class.getClassLoader().getResourceAsStream("codegloss-schema.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // without the version the stamp never matches and every start takes the full path
      log.debug("cannot read codegloss-schema.properties: {}", e.getMessage());
    }
    return p.getProperty("jobrunr.version", "unknown");
  }

  private static void acquire(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("set lock_timeout = '" + LOCK_TIMEOUT + "'");
      st.execute("select pg_advisory_lock(" + LOCK_KEY + ")");
      st.execute("reset lock_timeout");
    }
  }

  private static void release(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("select pg_advisory_unlock(" + LOCK_KEY + ")");
    } catch (SQLException e) {
      // the lock dies with the session; a broken connection is not worth a second error
      log.debug("cannot release the migration lock: {}", e.getMessage());
    }
  }

  /**
   * Flyway ignores applied migrations it does not know ("future" ones) by default, which would let
   * an old build write into a schema it does not understand.
   */
  private static void refuseNewerSchema(MigrationInfo[] all) {
    boolean future =
        Arrays.stream(all)
            .anyMatch(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED);
    if (!future) {
      return;
    }
    String applied = newest(all, true);
    String known = newest(all, false);
    throw new PermanentException(
        "database schema is at version "
            + applied
            + ", newer than this codegloss ("
            + known
            + "): upgrade codegloss");
  }

  private static String newest(MigrationInfo[] all, boolean applied) {
    return Arrays.stream(all)
        .filter(m -> m.getVersion() != null)
        .filter(m -> applied ? m.getState().isApplied() : m.getState().isResolved())
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder())
        .map(MigrationVersion::getVersion)
        .orElse("none");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
