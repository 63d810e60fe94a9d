package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** Temporary: a fresh database with schema V1 on a local server, until TestDatabase lands. */
final class IndexTestDb {

  private IndexTestDb() {}

  static Database fresh() throws Exception {
    String admin =
        System.getenv()
            .getOrDefault(
                "CODEGLOSS_TEST_PG", "jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    String name = "cg_index_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(admin);
        Statement st = c.createStatement()) {
      st.execute("create database " + name);
    }
    String url = admin.replace("/postgres?", "/" + name + "?");
    String schema;
    try (InputStream in = IndexTestDb.class.getResourceAsStream("/db/migration/V1__schema.sql")) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(schema);
    }
    return Database.connect(url, null, null, 4, name);
  }
}
