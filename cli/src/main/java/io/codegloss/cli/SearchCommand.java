package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.search.SearchHit;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.search.SpanSearch;
import io.codegloss.core.span.SpanKind;
import io.codegloss.scheduler.index.RepoQueries;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "search",
    description =
        "Ranked spans for a text query: identifiers (camelCase and snake_case split, partial ones"
            + " by trigram), signatures, docstrings, facts and model prose. Any text is a query;"
            + " words after QUERY are part of it (a query starting with '-' goes after '--').")
final class SearchCommand extends CliCommand {

  /** Summaries are one line of at most this many characters in text output. */
  private static final int SUMMARY_CHARS = 160;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "the query text")
  List<String> query;

  @Option(names = "--json", description = "print the hits as a JSON list")
  boolean json;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "at most N hits, 1 to 100 (default ${DEFAULT-VALUE})")
  int limit = SearchRequest.DEFAULT_LIMIT;

  @Option(
      names = "--repo",
      paramLabel = "PATH",
      description = "only the indexed repository containing PATH")
  @Nullable Path repo;

  @Option(
      names = "--lang",
      paramLabel = "L",
      description = "only spans of language L (python, java, go, ...)")
  @Nullable String lang;

  @Option(
      names = "--kind",
      paramLabel = "K",
      description = "only spans of kind K: function, method or class")
  @Nullable String kind;

  @Override
  int run(Context ctx) {
    String text = String.join(" ", query);
    SearchRequest request;
    try {
      request =
          new SearchRequest(
              text,
              limit,
              Optional.empty(),
              Optional.ofNullable(lang).map(l -> l.toLowerCase(Locale.ROOT)),
              Optional.ofNullable(kind).map(SearchCommand::checkKind));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    Settings s = settings(ctx);
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "search", 2)) {
      if (repo != null) {
        request =
            new SearchRequest(
                request.query(),
                request.limit(),
                Optional.of(rootOf(new RepoQueries(db.database()), repo)),
                request.language(),
                request.kind());
      }
      List<SearchHit> hits = new SpanSearch(db.database()).search(request);
      if (json) {
        ctx.out().json(hits);
      } else {
        print(ctx.out(), text, hits);
      }
    }
    return 0;
  }

  private static String checkKind(String k) {
    String lower = k.toLowerCase(Locale.ROOT);
    boolean known = Arrays.stream(SpanKind.values()).anyMatch(v -> v.dbName().equals(lower));
    if (!known) {
      throw new IllegalArgumentException(
          "invalid --kind '" + k + "': expected function, method or class");
    }
    return lower;
  }

  private static String rootOf(RepoQueries q, Path path) {
    Path anchor = path.toAbsolutePath().normalize();
    long repoId =
        q.repoIdFor(anchor)
            .orElseThrow(
                () ->
                    new PermanentException(
                        anchor
                            + " is not inside an indexed repository (run 'codegloss index PATH')"));
    return q.status().stream()
        .filter(r -> r.repoId() == repoId)
        .map(r -> r.root())
        .findFirst()
        .orElseThrow();
  }

  static void print(Printer out, String query, List<SearchHit> hits) {
    if (hits.isEmpty()) {
      out.line("no span matches '" + abbreviate(query.strip(), 80) + "'");
      return;
    }
    for (SearchHit h : hits) {
      out.linef(
          "%.3f  %s/%s:%d-%d  %s %s  [%s]",
          h.score(),
          h.repositoryRoot(),
          h.path(),
          h.startLine(),
          h.endLine(),
          h.kind(),
          h.symbol(),
          h.state());
      if (h.summary() != null) {
        out.line(
            "       " + abbreviate(h.summary().replaceAll("\\s+", " ").strip(), SUMMARY_CHARS));
      }
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
