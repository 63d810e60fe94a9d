package io.codegloss.dashboard;

import static io.codegloss.testing.Rows.count;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.migrations.DbMigrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark entry point of {@code bench/dashboard/run.sh}: seeds a large installation with SQL
 * ({@code generate_series}, seconds rather than hours: this is a bench-only seeding path, tests are
 * not covered by the one-owner-per-table rule) and times {@code GET /api/snapshot} of a real
 * dashboard server, N times after a warm-up, reporting the median. With {@code --explain} it also
 * prints EXPLAIN ANALYZE of the dashboard's heaviest reads to stderr.
 *
 * <p>Shape: 4 repositories, 10,000 files, SPANS spans (facts for all, notes for 60 %, failures for
 * 2 %), JOBS jobs (2 spans each; 70 % succeeded, 10 % enqueued, 2 % processing, 8 % failed, the
 * rest split or partial), CALLS LLM calls over the last 7 days (5 % not ok), 20 workers.
 */
public final class DashboardBench {

  private DashboardBench() {}

  /** Between two timed snapshots: the live page's default refresh period. */
  private static final long PAUSE_MILLIS = 2_000;

  public static void main(String[] args) throws Exception {
    int spans = 200_000;
    int jobs = 100_000;
    int calls = 500_000;
    int runs = 15;
    boolean explain = false;
    boolean seed = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--spans" -> spans = Integer.parseInt(args[++i]);
        case "--jobs" -> jobs = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--explain" -> explain = true;
        case "--no-seed" -> seed = false;
        default -> {
          System.err.println(
              "usage: DashboardBench [--spans N] [--jobs N] [--calls N] [--runs N] [--explain]"
                  + " [--no-seed]");
          System.exit(2);
        }
      }
    }
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    try (OpenDatabase open =
        Databases.open(DbSettings.from(settings), Databases.home(settings), "dashboard-bench", 8)) {
      Database db = open.database();
      double seedSeconds = 0;
      if (seed) {
        long t0 = System.nanoTime();
        execute(db, "drop schema if exists public cascade; create schema public");
        DbMigrations.apply(db.dataSource());
        seed(db, spans, jobs, calls);
        seedSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf("seeded in %.1f s%n", seedSeconds);
      } else {
        DbMigrations.apply(db.dataSource());
      }
      if (explain) {
        explain(db);
      }
      DashboardServer server = new DashboardServer(db, DashboardSettings.defaults()).start(0);
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/snapshot"))
              .build();
      // The first answer reads everything in its own transaction (nothing cached yet): reported
      // apart, as what a dashboard started on a large database pays once.
      long cold = System.nanoTime();
      check(http.send(get, HttpResponse.BodyHandlers.ofString()));
      double firstMs = (System.nanoTime() - cold) / 1e6;
      for (int i = 0; i < 2; i++) {
        check(http.send(get, HttpResponse.BodyHandlers.ofString()));
      }
      double[] ms = new double[runs];
      ArrayNode each = new ObjectMapper().createArrayNode();
      int bytes = 0;
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
        ms[i] = (System.nanoTime() - t0) / 1e6;
        check(r);
        bytes = r.body().length();
        each.add(Math.round(ms[i] * 10) / 10.0);
        // as the live page does: one snapshot per refresh period, so background refreshes happen
        Thread.sleep(PAUSE_MILLIS);
      }
      server.stop();
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("spans", count(db, "select count(*) from spans"))
          .put("jobs", count(db, "select count(*) from jobs"))
          .put("llm_calls", count(db, "select count(*) from llm_calls"))
          .put("seed_seconds", Math.round(seedSeconds * 10) / 10.0)
          .put("first_ms", Math.round(firstMs * 10) / 10.0)
          .put("runs", runs)
          .put("median_ms", median(sorted))
          .put("min_ms", sorted[0])
          .put("max_ms", sorted[sorted.length - 1])
          .put("response_bytes", bytes);
      out.set("each_ms", each);
      System.out.println(out);
    }
    System.exit(0);
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("snapshot answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static void seed(Database db, int spans, int jobs, int calls) {
    int files = 10_000;
    List<String> steps = new ArrayList<>();
    steps.add(
        "insert into repositories (root_path, name) select '/srv/repo' || g, 'repo' || g"
            + " from generate_series(1, 4) g");
    steps.add(
        "insert into files (repo_id, path, language, size_bytes, mtime_ms, content_hash,"
            + " line_count) select 1 + g % 4, 'pkg' || (g / 100) || '/mod' || g || '.py',"
            + " 'python', 4000, 0, md5(g::text), 200 from generate_series(1, "
            + files
            + ") g");
    steps.add(
        "insert into spans (repo_id, file_id, language, kind, node_type, name, symbol,"
            + " start_line, end_line, start_byte, end_byte, code, content_hash, token_estimate)"
            + " select f.repo_id, f.id, 'python', 'function', 'function_definition', 'f' || g,"
            + " 'f' || g, 1 + (g / "
            + files
            + ") * 10, 9 + (g / "
            + files
            + ") * 10, 0, 100, 'def f(): pass', md5('s' || g), 40"
            + " from generate_series(1, "
            + spans
            + ") g join files f on f.id = 1 + g % "
            + files);
    steps.add(
        "insert into span_facts (span_id, span_hash, analyzer_version, facts)"
            + " select id, content_hash, 1, '{}'::jsonb from spans");
    steps.add(
        "insert into enrichments (span_id, model, prompt_version, span_hash, schema_version,"
            + " generation, backend, mode, summary, payload, worker)"
            + " select id, 'gemma', codegloss_current_prompt_version(), content_hash, 2, 1,"
            + " 'embedded', case when id % 3 = 0 then 'single' else 'batch' end, 'does things',"
            + " '{}'::jsonb, 'w' || (id % 20) from spans where id % 10 < 6");
    steps.add(
        "insert into span_failures (span_id, span_hash, attempts, last_error, next_attempt_at,"
            + " permanent, updated_at) select id, content_hash, 1 + id % 8, 'invalid answer',"
            + " now() + interval '5 minutes', id % 2 = 0, now() - make_interval(secs => id % 86400)"
            + " from spans where id % 50 = 7");
    steps.add(
        "insert into jobs (id, repo_id, kind, tokens, span_tokens, status, attempts, last_error,"
            + " worker, created_at, updated_at)"
            + " select md5('j' || g)::uuid, 1 + g % 4, case when g % 4 = 0 then 'single' else"
            + " 'batch' end, 1000 + (g % 7) * 1000, 500, case when g % 100 < 70 then 'succeeded'"
            + " when g % 100 < 80 then 'enqueued' when g % 100 < 82 then 'processing'"
            + " when g % 100 < 90 then 'failed' when g % 100 < 95 then 'split' else 'partial' end,"
            + " g % 3, case when g % 100 between 82 and 89 then 'retries exhausted' end,"
            + " 'w' || (g % 20), now() - make_interval(secs => g * 5),"
            + " now() - make_interval(secs => g * 5) from generate_series(1, "
            + jobs
            + ") g");
    steps.add(
        "insert into job_spans (job_id, span_id, span_hash, ordinal)"
            + " select md5('j' || g)::uuid, s.id, s.content_hash, k from generate_series(1, "
            + jobs
            + ") g cross join generate_series(1, 2) k join spans s on s.id = 1 + ((g * 2 + k) % "
            + spans
            + ")");
    steps.add(
        "insert into llm_calls (job_id, worker, backend, model, mode, span_count, items_valid,"
            + " prompt_tokens, completion_tokens, wall_ms, outcome, error, created_at)"
            + " select md5('j' || (1 + g % "
            + jobs
            + "))::uuid, 'w' || (g % 20), 'embedded', case when g % 2 = 0 then 'gemma' else"
            + " 'qwen' end, case when g % 3 = 0 then 'single' else 'batch' end,"
            + " case when g % 3 = 0 then 1 else 4 end, case when g % 20 = 0 then 0 when g % 3 = 0"
            + " then 1 else 4 end, 600, 80, 2000 + g % 5000,"
            + " case when g % 20 = 0 then 'invalid' else 'ok' end,"
            + " case when g % 20 = 0 then 'no valid item' end,"
            + " now() - make_interval(secs => (g::double precision * 604800 / "
            + calls
            + ")) from generate_series(1, "
            + calls
            + ") g");
    steps.add(
        "insert into workers (name, host, max_tokens, concurrency, backend, model, version)"
            + " select 'w' || g, 'host' || g, 4096 * (1 + g % 4), 1 + g % 2, 'embedded', 'gemma',"
            + " '0.1.0' from generate_series(0, 19) g");
    steps.add("analyze");
    for (String sql : steps) {
      execute(db, sql);
    }
  }

  /** The dashboard's heaviest reads, EXPLAIN ANALYZEd to stderr. */
  private static void explain(Database db) {
    String[] queries = {
      "select repo_id, count(*), count(*) filter (where enriched), count(*) filter (where failed),"
          + " count(*) filter (where state = 'facts_only'), count(*) filter (where state ="
          + " 'not_indexed') from span_state group by repo_id",
      "select repo_id, kind, status, count(*), coalesce(sum(tokens), 0) from jobs group by"
          + " repo_id, kind, status",
      "select mode, count(*), count(*) filter (where outcome <> 'ok'), coalesce(sum(span_count),"
          + " 0), coalesce(sum(items_valid), 0), coalesce(sum(prompt_tokens), 0),"
          + " coalesce(sum(completion_tokens), 0), coalesce(sum(wall_ms), 0) from llm_calls group"
          + " by mode",
      "select id from llm_calls where outcome <> 'ok' order by created_at desc, id desc limit 50",
      "select coalesce(sum(items_valid), 0) from llm_calls where created_at > now() - interval '1"
          + " hour'",
      "select f.span_id from span_failures f join spans s on s.id = f.span_id order by"
          + " f.updated_at desc, f.span_id limit 50",
      "select j.id from jobs j where j.status = 'failed' order by j.updated_at desc, j.id limit"
          + " 50",
      "select worker, id from jobs where status = 'processing' and worker is not null order by"
          + " updated_at"
    };
    for (String q : queries) {
      db.withConnection(
          c -> {
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("explain (analyze, buffers off) " + q)) {
              System.err.println("== " + q);
              while (rs.next()) {
                System.err.println(rs.getString(1));
              }
            }
            return null;
          });
    }
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
