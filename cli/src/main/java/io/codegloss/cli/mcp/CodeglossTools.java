package io.codegloss.cli.mcp;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.note.ShowResult;
import io.codegloss.core.note.ShowResult.ShownSpan;
import io.codegloss.core.note.SpanNote;
import io.codegloss.core.note.SpanNotes;
import io.codegloss.core.search.SearchHit;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.search.SpanSearch;
import io.codegloss.scheduler.index.RepoQueries;
import io.codegloss.scheduler.index.RepoStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the MCP tools answer, for one repository: plain records (the server turns them into
 * structured results) read through the same API as {@code show} ({@link SpanNotes}). A lookup that
 * finds nothing throws a {@link PermanentException} whose message is the tool error the agent sees.
 */
public final class CodeglossTools {

  /** At most this many spans per answer: an agent's context is small. */
  static final int MAX_SPANS = 20;

  private final Database db;
  private final long repoId;
  private final String root;
  private final SpanSearch search;

  public CodeglossTools(Database db, long repoId, String root) {
    this.db = db;
    this.repoId = repoId;
    this.root = root;
    this.search = new SpanSearch(db);
  }

  public String root() {
    return root;
  }

  /**
   * @param query what was asked
   * @param matchedBy symbol, name, file, file_line or id
   * @param truncated true when more spans matched than are returned
   */
  public record Spans(String query, String matchedBy, List<SpanNote> spans, boolean truncated) {}

  /** The spans of one match with their callers or callees. */
  public record Calls(String query, String direction, List<SpanCalls> spans) {}

  /** One span and its calls in one direction. */
  public record SpanCalls(
      long spanId, String symbol, String path, int startLine, List<SpanNote.Call> calls) {}

  /**
   * @param indexedFiles files indexed (skipped ones are counted apart)
   * @param spans spans indexed
   * @param enriched spans with a current note with prose
   * @param pending spans without a current note: work still to do
   * @param failed spans whose prose failed (their facts are kept)
   * @param factsOnly spans with facts and no prose yet
   * @param notIndexed spans without facts
   */
  public record Status(
      String root,
      String name,
      @Nullable String lastIndexedAt,
      long indexedFiles,
      long skippedFiles,
      long spans,
      long enriched,
      long pending,
      long failed,
      long factsOnly,
      long notIndexed) {}

  /** Ranked hits for a query over names, docstrings, facts and prose. */
  public record Search(String query, List<SearchHit> hits) {}

  /**
   * Searches this repository's spans.
   *
   * @param limit 1 to {@link SearchRequest#MAX_LIMIT}; null for {@link SearchRequest#DEFAULT_LIMIT}
   */
  public Search searchCode(
      String query, @Nullable Long limit, @Nullable String language, @Nullable String kind) {
    int n = limit == null ? SearchRequest.DEFAULT_LIMIT : (int) Math.max(0, Math.min(limit, 1000));
    SearchRequest r =
        new SearchRequest(
            query,
            n,
            Optional.of(root),
            Optional.ofNullable(language).filter(x -> !x.isBlank()),
            Optional.ofNullable(kind).filter(x -> !x.isBlank()));
    return new Search(query, search.search(r));
  }

  /** A span's full note: its facts (source analysis), its prose (source model) and its code. */
  public Spans getSpan(@Nullable String symbol, @Nullable Long spanId) {
    return read(
        c -> {
          ShowResult r = lookup(c, symbol, spanId);
          List<ShownSpan> shown = r.spans();
          return new Spans(
              r.query(),
              r.matchedBy(),
              shown.stream().limit(MAX_SPANS).map(SpanNote::of).toList(),
              shown.size() > MAX_SPANS);
        });
  }

  /** Who calls the span (resolved calls into it). */
  public Calls callers(@Nullable String symbol, @Nullable Long spanId) {
    return calls(symbol, spanId, true);
  }

  /** What the span calls, resolved to spans where analysis could tell. */
  public Calls callees(@Nullable String symbol, @Nullable Long spanId) {
    return calls(symbol, spanId, false);
  }

  private Calls calls(@Nullable String symbol, @Nullable Long spanId, boolean callers) {
    return read(
        c -> {
          ShowResult r = lookup(c, symbol, spanId);
          List<SpanCalls> out = new ArrayList<>();
          for (ShownSpan s : r.spans().stream().limit(MAX_SPANS).toList()) {
            SpanNote n = SpanNote.of(s);
            out.add(
                new SpanCalls(
                    n.spanId(),
                    n.symbol(),
                    n.path(),
                    n.startLine(),
                    callers ? n.calledBy() : n.calls()));
          }
          return new Calls(r.query(), callers ? "callers" : "callees", out);
        });
  }

  /** The spans of one file (path relative to the root, absolute inside it, or a unique suffix). */
  public SpanNotes.Outline fileOutline(String path) {
    String relative = relative(path);
    return read(
        c ->
            SpanNotes.outline(c, repoId, relative)
                .orElseThrow(
                    () ->
                        new PermanentException(
                            "no indexed file '"
                                + path
                                + "' in "
                                + root
                                + " (paths are relative to the root)")));
  }

  /** Indexed, enriched, pending and failed counts of the repository. */
  public Status repositoryStatus() {
    RepoStatus r =
        new RepoQueries(db)
            .status().stream()
                .filter(s -> s.repoId() == repoId)
                .findFirst()
                .orElseThrow(
                    () -> new PermanentException("repository " + root + " is no longer indexed"));
    return new Status(
        r.root(),
        r.name(),
        r.lastIndexedAt(),
        r.files(),
        r.skippedFiles(),
        r.spans(),
        r.enriched(),
        r.pending(),
        r.proseFailed(),
        r.factsOnly(),
        r.notIndexed());
  }

  private ShowResult lookup(Connection c, @Nullable String symbol, @Nullable Long spanId)
      throws SQLException {
    if (spanId != null) {
      Optional<ShownSpan> s = SpanNotes.byId(c, spanId);
      if (s.isEmpty() || s.get().span().repoId() != repoId) {
        throw new PermanentException("no span with id " + spanId + " in " + root);
      }
      return new ShowResult("#" + spanId, "id", List.of(s.get()));
    }
    if (symbol == null || symbol.isBlank()) {
      throw new PermanentException("give a symbol (or span_id)");
    }
    ShowResult r = SpanNotes.show(c, repoId, relative(symbol));
    if (r.isEmpty()) {
      throw new PermanentException(
          "no span matches '"
              + symbol
              + "' in "
              + root
              + " (a symbol such as User.set_email, a bare name, FILE or FILE:LINE)");
    }
    return r;
  }

  /** An absolute path inside the root becomes relative to it; anything else is kept. */
  private String relative(String pathOrSymbol) {
    String s = pathOrSymbol.strip();
    if (s.startsWith("/")) {
      String file = s.replaceAll(":\\d+$", "");
      Path rootPath = Path.of(root);
      Path p = Path.of(file).normalize();
      if (p.startsWith(rootPath)) {
        return rootPath.relativize(p).toString().replace('\\', '/') + s.substring(file.length());
      }
    }
    return s;
  }

  private <T> T read(Database.TxWork<T> work) {
    return db.inTransaction(
        c -> {
          c.setReadOnly(true);
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          return work.apply(c);
        });
  }
}
