package io.codegloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.search.SpanSearch;
import io.codegloss.core.store.SpanStates;
import io.codegloss.migrations.DbMigrations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Search latency on whatever the configured database holds (the documented run indexes the whole
 * Python standard library first; see bench/README.md): a fixed query set of identifiers, partial
 * identifiers, phrases and hostile text, run {@code rounds} times after one warm-up round; prints
 * JSON with the median, p95 and maximum of each search's time. The time is taken around {@link
 * SpanSearch#search} in this process, so it is database time plus localhost JDBC round trips (one
 * search and one state probe per hit).
 *
 * <p>{@code java -cp cli/target/codegloss.jar io.codegloss.bench.SearchLatency [ROUNDS]}, with the
 * same CODEGLOSS_HOME / CODEGLOSS_DB_URL as the {@code index} that filled the database.
 */
public final class SearchLatency {

  /** Fixed so that runs compare: what agents and people type. */
  static final List<String> QUERIES =
      List.of(
          "json",
          "loads",
          "JSONDecoder",
          "json decoder",
          "raw_decode",
          "urlopen",
          "HTTPConnection",
          "getaddrinfo",
          "datetime",
          "strftime",
          "parse_args",
          "ArgumentParser",
          "deepcopy",
          "namedtuple",
          "read file",
          "open a file for writing",
          "parse a date string",
          "encode base64",
          "compress data with zlib",
          "send an email message",
          "sort a list in place",
          "thread pool executor",
          "temporary directory",
          "split a path into directory and file name",
          "Return the JSON representation of a Python object",
          "escape html special characters",
          "urlpar",
          "TextWrap",
          "getaddr",
          "subproc",
          "\"quoted\" & !operators | (x):*",
          "ünïcödé 日本語",
          "x".repeat(2000));

  private SearchLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    Path home = Databases.home(settings);
    try (OpenDatabase db = Databases.open(DbSettings.from(settings), home, "search-latency", 4)) {
      DbMigrations.apply(db.database().dataSource());
      long spans = db.database().withConnection(c -> SpanStates.counts(c, null).spans());
      SpanSearch search = new SpanSearch(db.database());
      for (String q : QUERIES) {
        search.search(SearchRequest.of(q, 10));
      }
      List<Double> millis = new ArrayList<>();
      Map<String, Double> slowest = new LinkedHashMap<>();
      long hits = 0;
      for (int r = 0; r < rounds; r++) {
        for (String q : QUERIES) {
          long t0 = System.nanoTime();
          hits += search.search(SearchRequest.of(q, 10)).size();
          double ms = (System.nanoTime() - t0) / 1e6;
          millis.add(ms);
          slowest.merge(q.length() > 60 ? q.substring(0, 60) + "..." : q, ms, Math::max);
        }
      }
      Collections.sort(millis);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("spans", spans);
      out.put("queries", QUERIES.size());
      out.put("rounds", rounds);
      out.put("searches", millis.size());
      out.put("hits_per_search", (double) hits / millis.size());
      out.put("p50_ms", round(percentile(millis, 0.50)));
      out.put("p95_ms", round(percentile(millis, 0.95)));
      out.put("max_ms", round(millis.get(millis.size() - 1)));
      Map<String, Double> top = new LinkedHashMap<>();
      slowest.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(5)
          .forEach(e -> top.put(e.getKey(), round(e.getValue())));
      out.put("slowest_queries_max_ms", top);
      System.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
