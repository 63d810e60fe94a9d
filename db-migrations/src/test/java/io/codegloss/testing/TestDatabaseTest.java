package io.codegloss.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

class TestDatabaseTest {

  @Test
  void withoutADockerEngineTheServerIsTheEmbeddedPostgres() {
    Assumptions.assumeFalse(
        DockerClientFactory.instance().isDockerAvailable(), "a Docker engine is available here");
    assertThat(TestDatabase.serverKind()).isEqualTo("embedded");
  }

  @Test
  void aFreshDatabaseHasTheSchemaAndNoRows() {
    try (TestDatabase db = TestDatabase.fresh()) {
      assertThat(count(db, "select count(*) from spans")).isZero();
      assertThat(count(db, "select count(*) from repositories")).isZero();
      assertThat(count(db, "select count(*) from jobrunr_jobs")).isZero();
    }
  }

  @Test
  void freshDatabasesAreIsolatedFromEachOther() {
    try (TestDatabase a = TestDatabase.fresh();
        TestDatabase b = TestDatabase.fresh()) {
      Seed.into(a).repo("/src/demo");
      assertThat(count(a, "select count(*) from repositories")).isEqualTo(1);
      assertThat(count(b, "select count(*) from repositories")).isZero();
      assertThat(a.name()).isNotEqualTo(b.name());
    }
  }

  @Test
  void theHandedOverSettingsReachTheSameDatabaseAndCloseDropsIt() throws SQLException {
    String name;
    try (TestDatabase db = TestDatabase.fresh()) {
      name = db.name();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        assertThat(c.getCatalog()).isEqualTo(name);
      }
      assertThat(db.childEnvironment()).containsEntry("CODEGLOSS_DB_URL", db.jdbcUrl());
    }
    try (TestDatabase other = TestDatabase.fresh()) {
      long left =
          other
              .database()
              .withConnection(
                  c -> {
                    try (PreparedStatement ps =
                        c.prepareStatement("select count(*) from pg_database where datname = ?")) {
                      ps.setString(1, name);
                      try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                      }
                    }
                  });
      assertThat(left).isZero();
    }
  }

  static long count(TestDatabase db, String sql) {
    return Rows.count(db.database(), sql);
  }
}
