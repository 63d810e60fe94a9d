package io.codegloss.core.note;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.core.note.ShowResult.ShownSpan;
import io.codegloss.core.note.ShowResult.StoredEnrichment;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.EnrichmentTable;
import io.codegloss.core.store.FileTable;
import io.codegloss.core.store.SpanCallTable;
import io.codegloss.core.store.SpanFactsTable;
import io.codegloss.core.store.SpanLinkTable;
import io.codegloss.core.store.SpanState;
import io.codegloss.core.store.SpanStates;
import io.codegloss.core.store.SpanTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The read side of a span's note, shared by {@code codegloss show}, the MCP server's tools and the
 * dashboard's span page: one lookup and one shape, so the three never disagree.
 */
public final class SpanNotes {

  /** At most this many spans for a whole file. */
  public static final int MAX_SPANS = 500;

  /** At most this many callers per span. */
  static final int MAX_CALLERS = 20;

  private SpanNotes() {}

  /**
   * Looks {@code query} up in repository {@code repoId}, in this order: {@code FILE:LINE} (the
   * innermost span around the line), {@code FILE} (every span of the file), a symbol ({@code
   * User.set_email}), a bare name ({@code set_email}). A file may be given by its path relative to
   * the repository root or by a unique path suffix ({@code user.py}).
   */
  public static ShowResult show(Database db, long repoId, String query) {
    return db.withConnection(c -> show(c, repoId, query));
  }

  /** {@link #show(Database, long, String)} inside the caller's transaction. */
  public static ShowResult show(Connection c, long repoId, String query) throws SQLException {
    String q = query.strip();
    if (q.startsWith("./")) {
      q = q.substring(2);
    }
    int colon = q.lastIndexOf(':');
    if (colon > 0
        && colon < q.length() - 1
        && q.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      Long fileId = FileTable.idByPath(c, repoId, q.substring(0, colon));
      if (fileId != null) {
        int line = Integer.parseInt(q.substring(colon + 1));
        List<Span> spans = SpanTable.innermostAt(c, fileId, line);
        return result(c, query, "file_line", spans);
      }
    }
    Long fileId = FileTable.idByPath(c, repoId, q);
    if (fileId != null) {
      List<Span> spans = SpanTable.ofFile(c, fileId, MAX_SPANS);
      return result(c, query, "file", spans);
    }
    List<Span> bySymbol = SpanTable.bySymbol(c, repoId, q);
    if (!bySymbol.isEmpty()) {
      return result(c, query, "symbol", bySymbol);
    }
    List<Span> byName = SpanTable.byBareName(c, repoId, q);
    if (!byName.isEmpty()) {
      return result(c, query, "name", byName);
    }
    return new ShowResult(query, "none", List.of());
  }

  /** A file's spans in line order, each with its state and summary (null while it has none). */
  public record Outline(String path, List<OutlineEntry> spans) {}

  public record OutlineEntry(
      long spanId,
      String symbol,
      String kind,
      int startLine,
      int endLine,
      String state,
      @Nullable String summary) {}

  /**
   * The outline of one file, given as show takes a FILE (relative path or unique suffix), in three
   * queries whatever its size; empty when the repository has no such file.
   */
  public static Optional<Outline> outline(Connection c, long repoId, String file)
      throws SQLException {
    String f = file.strip();
    if (f.startsWith("./")) {
      f = f.substring(2);
    }
    Long fileId = FileTable.idByPath(c, repoId, f);
    if (fileId == null) {
      return Optional.empty();
    }
    List<Span> first = SpanTable.ofFile(c, fileId, 1);
    if (first.isEmpty()) {
      return Optional.of(new Outline(f, List.of()));
    }
    String path = first.get(0).path();
    Map<Long, String> summaries = EnrichmentTable.newestSummaries(c, fileId);
    List<OutlineEntry> entries = new ArrayList<>();
    for (SpanTable.Listed s : SpanTable.list(c, repoId, path)) {
      entries.add(
          new OutlineEntry(
              s.id(),
              s.symbol(),
              s.kind(),
              s.startLine(),
              s.endLine(),
              s.state(),
              summaries.get(s.id())));
    }
    return Optional.of(new Outline(path, entries));
  }

  /** One span's note by its id, or empty when no such span exists (any more). */
  public static Optional<ShownSpan> byId(Connection c, long spanId) throws SQLException {
    List<Span> spans = SpanTable.byId(c, spanId);
    if (spans.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(result(c, "#" + spanId, "id", spans).spans().get(0));
  }

  private static ShowResult result(Connection c, String query, String how, List<Span> spans)
      throws SQLException {
    List<ShownSpan> out = new ArrayList<>();
    for (Span s : spans) {
      StoredEnrichment e = enrichment(c, s.id());
      SpanState state = SpanStates.state(c, s.id());
      List<SpanCallTable.Shown> callers = SpanCallTable.callersOf(c, s.id(), MAX_CALLERS);
      out.add(
          new ShownSpan(
              s,
              state == null ? null : state.db(),
              SpanFactsTable.read(c, s.id()).orElse(null),
              e,
              SpanCallTable.calleesOf(c, s.id()),
              callers,
              usage(callers),
              SpanLinkTable.from(c, s.id(), e == null ? null : e.model()),
              SpanLinkTable.to(c, s.id())));
    }
    return new ShowResult(query, how, out);
  }

  /** The first caller's line that really calls (tests first): a usage example from the code. */
  private static ShowResult.@Nullable Usage usage(List<SpanCallTable.Shown> callers) {
    for (SpanCallTable.Shown c : callers) {
      if (c.lineText().contains(c.name())) {
        return new ShowResult.Usage(c.caller().path(), c.line(), c.lineText());
      }
    }
    return null;
  }

  private static @Nullable StoredEnrichment enrichment(Connection c, long spanId)
      throws SQLException {
    EnrichmentTable.Shown e = EnrichmentTable.newest(c, spanId);
    if (e == null) {
      return null;
    }
    return new StoredEnrichment(
        e.model(),
        e.backend(),
        e.promptVersion(),
        e.schemaVersion(),
        e.mode(),
        e.current(),
        e.createdAt(),
        e.notes(),
        e.droppedRelated(),
        e.summarySource().db(),
        EnrichmentJson.fromJson(e.payload()));
  }
}
