package io.codegloss.scheduler.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.migrations.DbMigrations;
import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.plan.BatchPlanner;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import io.codegloss.scheduler.queue.SchedulerProcess;
import io.codegloss.scheduler.queue.Sweeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark entry point of {@code bench/watch/run.sh}: edit to pending with the scheduler running.
 * Indexes a corpus, marks every span enriched (so that an edit is visible as a state change and the
 * first round enqueues nothing), starts the scheduler's loop in this process exactly as the {@code
 * scheduler} command wires it (watching on, an interval of an hour so that only the watcher can
 * pick an edit up), then edits N functions in N files one after the other and times each from the
 * write to the moment span_state says the edited span is facts_only again. Prints one JSON line.
 * Runs from the scheduler's test classpath.
 */
public final class WatchBench {

  private WatchBench() {}

  /** Between edits: the previous edit's tail (call resolution, enqueue) must be over. */
  private static final long PAUSE_MILLIS = Long.getLong("codegloss.bench.pauseMillis", 8_000);

  private record Target(String path, String symbol, int startLine) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: WatchBench PATH [EDITS]");
      System.exit(2);
    }
    Path root = Path.of(args[0]).toRealPath();
    int edits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    try (OpenDatabase open =
        Databases.open(DbSettings.from(settings), Databases.home(settings), "watch-bench", 8)) {
      Database db = open.database();
      execute(db, "drop schema if exists public cascade; create schema public");
      DbMigrations.apply(db.dataSource());
      IndexSettings index = IndexSettings.from(settings);
      Indexer indexer = new Indexer(db, index);
      IndexReport full = indexer.index(root);
      execute(
          db,
          "insert into enrichments (span_id, model, prompt_version, span_hash, schema_version,"
              + " generation, backend, mode, summary, payload, worker)"
              + " select s.id, 'bench', codegloss_current_prompt_version(), s.content_hash, 1,"
              + " r.generation, 'test', 'single', 'bench', '{}'::jsonb, 'bench' from spans s"
              + " join repositories r on r.id = s.repo_id");
      List<Target> targets = targets(db, edits);

      Queue queue = Queue.openClientOnly(db.dataSource());
      JobEnqueuer enqueuer = new JobEnqueuer(db, queue);
      SchedulerProcess scheduler =
          new SchedulerProcess(
              db,
              queue,
              new EnqueueService(db, new BatchPlanner(PlanSettings.defaults()), enqueuer),
              new Sweeper(db, enqueuer, 120, new SpanFailureTable(RetryPolicy.defaults())),
              SchedulerProcess.Reindexer.of(indexer),
              new SchedulerProcess.Options(
                  Duration.ofHours(1), 0, null, null, 5, 12, 3, "127.0.0.1", true),
              new RepoWalker(index.maxFileBytes(), index.extraExcludes()));
      scheduler.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!scheduler.watching(root) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      // let the first round (a whole re-index that finds nothing new) finish
      Thread.sleep(5_000);

      double[] millis = new double[targets.size()];
      ArrayNode each = new ObjectMapper().createArrayNode();
      for (int i = 0; i < targets.size(); i++) {
        Target t = targets.get(i);
        Path file = root.resolve(t.path());
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        int at = t.startLine() - 1;
        lines.set(at, lines.get(at) + "  # codegloss watch bench edit " + i);
        long t0 = System.nanoTime();
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        long limit = t0 + Duration.ofSeconds(60).toNanos();
        while (!pending(db, t) && System.nanoTime() < limit) {
          Thread.sleep(2);
        }
        millis[i] = (System.nanoTime() - t0) / 1e6;
        each.addObject().put("file", t.path()).put("span", t.symbol()).put("ms", millis[i]);
        // The call resolution and enqueue that follow the re-index run on the scheduler's thread
        // (seconds on a loaded machine, 72,000 spans): the next edit must not queue behind them.
        Thread.sleep(PAUSE_MILLIS);
      }
      scheduler.close();
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      double median =
          sorted.length % 2 == 1
              ? sorted[sorted.length / 2]
              : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("corpus", root.toString())
          .put("files", full.filesScanned())
          .put("spans", full.spansTotal())
          .put("edits", millis.length)
          .put("median_ms", median)
          .put("min_ms", sorted[0])
          .put("max_ms", sorted[sorted.length - 1]);
      out.set("each", each);
      System.out.println(out);
    }
    System.exit(0);
  }

  /** One function of each of {@code n} files spread over the corpus, in path order. */
  private static List<Target> targets(Database db, int n) {
    List<Target> all =
        db.withConnection(
            c -> {
              List<Target> rows = new ArrayList<>();
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "select distinct on (f.path) f.path, s.symbol, s.start_line from spans s"
                              + " join files f on f.id = s.file_id where s.kind = 'function'"
                              + " and f.language = 'python' and s.end_line > s.start_line + 1"
                              + " order by f.path, s.start_byte");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  rows.add(new Target(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
              }
              return rows;
            });
    List<Target> picked = new ArrayList<>();
    for (int i = 0; i < n && !all.isEmpty(); i++) {
      picked.add(all.get((int) ((long) i * all.size() / n)));
    }
    return picked;
  }

  private static boolean pending(Database db, Target t) {
    return db.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select st.state from span_state st join spans s on s.id = st.span_id"
                      + " join files f on f.id = s.file_id where f.path = ? and s.symbol = ?")) {
            ps.setString(1, t.path());
            ps.setString(2, t.symbol());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if ("facts_only".equals(rs.getString(1))) {
                  return true;
                }
              }
              return false;
            }
          }
        });
  }

  private static void execute(Database db, String sql) {
    db.withConnection(
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute(sql);
          }
          return null;
        });
  }
}
