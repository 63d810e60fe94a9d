package io.codegloss.scheduler.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Path;
import java.sql.Statement;

/**
 * Benchmark entry point used by {@code bench/index/run.sh}: indexes one folder into the database at
 * {@code CODEGLOSS_DB_URL} and prints the report as one JSON line. {@code --reset} drops and
 * recreates the schema first. Runs from the scheduler's test classpath.
 */
public final class IndexBench {

  private IndexBench() {}

  public static void main(String[] args) throws Exception {
    boolean reset = false;
    Path root = null;
    for (String a : args) {
      if (a.equals("--reset")) {
        reset = true;
      } else {
        root = Path.of(a);
      }
    }
    if (root == null) {
      System.err.println("usage: IndexBench [--reset] PATH");
      System.exit(2);
    }
    String url = System.getenv("CODEGLOSS_DB_URL");
    Settings settings = Settings.load(java.util.Map.of(), System.getenv(), null);
    try (Database db =
        Database.connect(
            url,
            System.getenv("CODEGLOSS_DB_USER"),
            System.getenv("CODEGLOSS_DB_PASSWORD"),
            8,
            "bench")) {
      if (reset) {
        db.withConnection(
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute("drop schema if exists public cascade; create schema public");
              }
              return null;
            });
      }
      DbMigrations.apply(db.dataSource());
      IndexReport report = new Indexer(db, IndexSettings.from(settings)).index(root);
      ObjectMapper json =
          new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
      var node = json.valueToTree(report);
      ((com.fasterxml.jackson.databind.node.ObjectNode) node)
          .put("files_skipped_count", report.filesSkipped().size())
          .remove("files_skipped");
      System.out.println(json.writeValueAsString(node));
    }
    System.exit(0);
  }
}
