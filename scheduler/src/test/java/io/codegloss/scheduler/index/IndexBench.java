package io.codegloss.scheduler.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.EmbeddedPostgres;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Map;

/**
 * Benchmark entry point of {@code bench/index/run.sh} (and of {@link InterruptedRunTest}'s child
 * process): indexes one folder into the database named by CODEGLOSS_DB_URL, or into the embedded
 * server under CODEGLOSS_HOME, and prints the report as one JSON line (the skipped files as a
 * count). {@code --reset} empties the schema first; {@code --stop} stops the embedded server. Runs
 * from the scheduler's test classpath.
 */
public final class IndexBench {

  private IndexBench() {}

  public static void main(String[] args) throws Exception {
    long jvmStart =
        ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    boolean reset = false;
    boolean stop = false;
    Path root = null;
    for (String a : args) {
      switch (a) {
        case "--reset" -> reset = true;
        case "--stop" -> stop = true;
        default -> root = Path.of(a);
      }
    }
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    if (stop) {
      EmbeddedPostgres.start(Databases.home(settings), false).stop();
      System.exit(0);
    }
    if (root == null) {
      System.err.println("usage: IndexBench [--reset] PATH | --stop");
      System.exit(2);
    }
    try (OpenDatabase open =
        Databases.open(DbSettings.from(settings), Databases.home(settings), "index-bench", 8)) {
      if (reset) {
        open.database()
            .withConnection(
                c -> {
                  try (Statement st = c.createStatement()) {
                    st.execute("drop schema if exists public cascade; create schema public");
                  }
                  return null;
                });
      }
      long migrateStart = System.currentTimeMillis();
      DbMigrations.apply(open.database().dataSource());
      long indexStart = System.currentTimeMillis();
      IndexReport report = new Indexer(open.database(), IndexSettings.from(settings)).index(root);
      ObjectMapper json =
          new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
      ObjectNode node = json.valueToTree(report);
      node.put("files_skipped_count", report.filesSkipped().size()).remove("files_skipped");
      node.put("startup_seconds", jvmStart == 0 ? 0 : (indexStart - jvmStart) / 1000.0);
      node.put("migrate_seconds", (indexStart - migrateStart) / 1000.0);
      node.put(
          "jvm_cpu_seconds",
          ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L)
              / 1000.0);
      System.out.println(json.writeValueAsString(node));
    }
    System.exit(0);
  }
}
