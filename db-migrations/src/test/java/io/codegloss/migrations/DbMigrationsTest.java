package io.codegloss.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import io.codegloss.testing.Rows;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.junit.jupiter.api.Test;

class DbMigrationsTest {

  @Test
  void migratesABlankDatabaseWithCodeglossAndJobRunrTables() {
    try (TestDatabase db = TestDatabase.blank()) {
      DbMigrations.Result result = DbMigrations.apply(db.database().dataSource());

      assertThat(result.migrationsExecuted()).isPositive();
      assertThat(tableExists(db, "spans")).isTrue();
      assertThat(tableExists(db, "llm_calls")).isTrue();
      assertThat(tableExists(db, "jobrunr_jobs")).isTrue();
      // what every other component does: open JobRunr without creating anything
      PostgresStorageProvider jobrunr =
          new PostgresStorageProvider(db.database().dataSource(), DatabaseOptions.SKIP_CREATE);
      jobrunr.close();
    }
  }

  /**
   * JobRunr's master inserts these rows at startup when it does not find them; two servers starting
   * at once on a fresh database (the scheduler and worker of {@code up}) both did, and one thread
   * died on the primary key with an ERROR on the console.
   */
  @Test
  void aMigratedDatabaseHasTheRowsJobRunrsStartupTasksWouldRaceToInsert() {
    try (TestDatabase db = TestDatabase.blank()) {
      DbMigrations.apply(db.database().dataSource());

      PostgresStorageProvider jobrunr =
          new PostgresStorageProvider(db.database().dataSource(), DatabaseOptions.SKIP_CREATE);
      try {
        assertThat(jobrunr.getMetadata("database_version", "cluster").getValue())
            .as("scheduled jobs of JobRunr 5: nothing to migrate")
            .isEqualTo("6.0.0");
        assertThat(jobrunr.getMetadata("id", "cluster").getValue()).isNotBlank();
      } finally {
        jobrunr.close();
      }
    }
  }

  @Test
  void applyingAgainChangesNothing() {
    try (TestDatabase db = TestDatabase.blank()) {
      DbMigrations.Result first = DbMigrations.apply(db.database().dataSource());
      long jobrunrMigrations = count(db, "select count(*) from jobrunr_migrations");

      DbMigrations.Result second = DbMigrations.apply(db.database().dataSource());

      assertThat(second.migrationsExecuted()).isZero();
      assertThat(second.schemaVersion()).isEqualTo(first.schemaVersion());
      assertThat(count(db, "select count(*) from jobrunr_migrations")).isEqualTo(jobrunrMigrations);
    }
  }

  @Test
  void aDatabaseStampedByThisBuildIsNotMigratedAgainButAnotherBuildsStampIsReplaced() {
    try (TestDatabase db = TestDatabase.blank()) {
      DbMigrations.apply(db.database().dataSource());
      String stampedAt = text(db, "select stamp || ' ' || updated_at from schema_stamp");

      DbMigrations.apply(db.database().dataSource());
      assertThat(text(db, "select stamp || ' ' || updated_at from schema_stamp"))
          .as("the quick path leaves the stamp untouched")
          .isEqualTo(stampedAt)
          .startsWith(DbMigrations.STAMP);

      db.database()
          .inTransaction(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "update schema_stamp set stamp = 'codegloss 1 / jobrunr 0'")) {
                  ps.executeUpdate();
                }
              });
      DbMigrations.apply(db.database().dataSource());
      assertThat(text(db, "select stamp from schema_stamp")).isEqualTo(DbMigrations.STAMP);
      assertThat(DbMigrations.STAMP).doesNotContain("unknown");
    }
  }

  @Test
  void theSchemaVersionInTheStampIsTheNewestMigrationShipped() throws Exception {
    Path dir = Path.of(DbMigrations.class.getClassLoader().getResource("db/migration").toURI());
    int newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElseThrow();
    }
    assertThat(DbMigrations.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
  }

  @Test
  void severalProcessesMigratingAtOnceAllSucceedAndMigrateOnce() throws Exception {
    int processes = 6;
    try (TestDatabase db = TestDatabase.blank()) {
      List<Database> pools = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        pools.add(Database.connect(db.jdbcUrl(), db.user(), db.password(), 3, "proc-" + i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(processes);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<DbMigrations.Result>> results = new ArrayList<>();
        for (Database p : pools) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return DbMigrations.apply(p.dataSource());
                  }));
        }
        go.countDown();
        int executed = 0;
        for (Future<DbMigrations.Result> r : results) {
          executed += r.get(120, TimeUnit.SECONDS).migrationsExecuted();
        }
        long versions =
            count(db, "select count(*) from flyway_schema_history where version is not null");
        assertThat(executed).isEqualTo(versions);
        assertThat(
                count(
                    db,
                    "select count(*) from (select script from jobrunr_migrations group by script"
                        + " having count(*) > 1) dupes"))
            .isZero();
      } finally {
        pool.shutdownNow();
        pools.forEach(Database::close);
      }
    }
  }

  @Test
  void aProcessWaitingForAnotherOnesMigrationOutlastsItsSocketTimeoutAndThenMigrates()
      throws Exception {
    try (TestDatabase db = TestDatabase.blank();
        Database other = Database.connect(db.jdbcUrl(), db.user(), db.password(), 2, "other");
        Database waiting =
            Database.connect(db.jdbcUrl(), db.user(), db.password(), 3, "waiting", 1)) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try (Connection lock = other.dataSource().getConnection();
          Statement st = lock.createStatement()) {
        st.execute("select pg_advisory_lock(" + DbMigrations.LOCK_KEY + ")");
        Future<DbMigrations.Result> migrating =
            pool.submit(() -> DbMigrations.apply(waiting.dataSource()));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    count(
                            db,
                            "select count(*) from pg_locks where locktype = 'advisory'"
                                + " and not granted")
                        == 1);

        // its pool gives up on a silent server after 1 s; waiting for the lock is not that
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> !migrating.isDone());
        st.execute("select pg_advisory_unlock(" + DbMigrations.LOCK_KEY + ")");

        assertThat(migrating.get(120, TimeUnit.SECONDS).migrationsExecuted()).isPositive();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aSchemaNewerThanThisBuildIsRefusedInOneLine() {
    try (TestDatabase db = TestDatabase.fresh()) {
      db.database()
          .inTransaction(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "insert into flyway_schema_history (installed_rank, version, description,"
                            + " type, script, checksum, installed_by, execution_time, success)"
                            + " select max(installed_rank) + 1, '999', 'from the future', 'SQL',"
                            + " 'V999__from_the_future.sql', 0, 'test', 0, true"
                            + " from flyway_schema_history")) {
                  ps.executeUpdate();
                }
                // what that newer build's complete migration leaves behind
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "update schema_stamp set stamp = 'codegloss 999 / jobrunr 9'")) {
                  ps.executeUpdate();
                }
              });

      assertThatThrownBy(() -> DbMigrations.apply(db.database().dataSource()))
          .isInstanceOf(PermanentException.class)
          .hasMessageMatching(
              "database schema is at version 999, newer than this codegloss \\(\\d+\\): upgrade"
                  + " codegloss")
          .hasMessageNotContaining("\n");
    }
  }

  private static boolean tableExists(TestDatabase db, String table) {
    return count(db, "select count(*) from pg_tables where tablename = '" + table + "'") == 1;
  }

  private static String text(TestDatabase db, String sql) {
    return Rows.string(db.database(), sql);
  }

  private static long count(TestDatabase db, String sql) {
    return Long.parseLong(text(db, sql));
  }
}
