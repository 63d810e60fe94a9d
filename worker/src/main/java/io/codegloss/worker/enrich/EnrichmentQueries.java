package io.codegloss.worker.enrich;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.EnrichmentJson;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.ShowResult.LinkedSpan;
import io.codegloss.worker.enrich.ShowResult.ShownSpan;
import io.codegloss.worker.enrich.ShowResult.StoredEnrichment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Read side of enrichments for {@code ./codegloss show}. */
public final class EnrichmentQueries {

  /** At most this many spans for a whole file. */
  public static final int MAX_SPANS = 500;

  private static final String SPAN_COLUMNS =
      "s.id, s.repo_id, s.file_id, f.path, s.language, s.kind, s.name, s.symbol, s.parent_id,"
          + " s.start_line, s.end_line, s.start_byte, s.end_byte, s.signature, s.doc_hint, s.code,"
          + " s.content_hash, s.token_estimate";

  private static final String FROM = " from spans s join files f on f.id = s.file_id";

  private EnrichmentQueries() {}

  /**
   * Looks {@code query} up in repository {@code repoId}, in this order: {@code FILE:LINE} (the
   * innermost span around the line), {@code FILE} (every span of the file), a symbol ({@code
   * User.set_email}), a bare name ({@code set_email}). A file may be given by its path relative to
   * the repository root or by a unique path suffix ({@code user.py}).
   */
  public static ShowResult show(Database db, long repoId, String query) {
    return db.withConnection(c -> show(c, repoId, query));
  }

  static ShowResult show(Connection c, long repoId, String query) throws SQLException {
    String q = query.strip();
    if (q.startsWith("./")) {
      q = q.substring(2);
    }
    int colon = q.lastIndexOf(':');
    if (colon > 0
        && colon < q.length() - 1
        && q.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      Long fileId = fileId(c, repoId, q.substring(0, colon));
      if (fileId != null) {
        int line = Integer.parseInt(q.substring(colon + 1));
        List<Span> spans =
            spans(
                c,
                " where s.file_id = ? and s.start_line <= ? and s.end_line >= ?"
                    + " order by (s.end_line - s.start_line), s.start_line desc limit 1",
                fileId,
                line,
                line);
        return result(c, query, "file_line", spans);
      }
    }
    Long fileId = fileId(c, repoId, q);
    if (fileId != null) {
      List<Span> spans =
          spans(c, " where s.file_id = ? order by s.start_line, s.id limit " + MAX_SPANS, fileId);
      return result(c, query, "file", spans);
    }
    List<Span> bySymbol =
        spans(c, " where s.repo_id = ? and s.symbol = ? order by f.path, s.start_line", repoId, q);
    if (!bySymbol.isEmpty()) {
      return result(c, query, "symbol", bySymbol);
    }
    List<Span> byName =
        spans(c, " where s.repo_id = ? and s.name = ? order by f.path, s.start_line", repoId, q);
    if (!byName.isEmpty()) {
      return result(c, query, "name", byName);
    }
    return new ShowResult(query, "none", List.of());
  }

  private static ShowResult result(Connection c, String query, String how, List<Span> spans)
      throws SQLException {
    List<ShownSpan> out = new ArrayList<>();
    for (Span s : spans) {
      StoredEnrichment e = enrichment(c, s.id());
      out.add(
          new ShownSpan(
              s, e, linksFrom(c, s.id(), e == null ? null : e.model()), linksTo(c, s.id())));
    }
    return new ShowResult(query, how, out);
  }

  private static @Nullable Long fileId(Connection c, long repoId, String path) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select id from files where repo_id = ? and path = ?")) {
      ps.setLong(1, repoId);
      ps.setString(2, path);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    }
    // A unique suffix ("user.py" for "app/user.py") is what people type.
    try (PreparedStatement ps =
        c.prepareStatement(
            "select id from files where repo_id = ? and right(path, ?) = ? limit 2")) {
      ps.setLong(1, repoId);
      ps.setInt(2, path.length() + 1);
      ps.setString(3, "/" + path);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long id = rs.getLong(1);
          return rs.next() ? null : id;
        }
      }
    }
    return null;
  }

  private static List<Span> spans(Connection c, String where, Object... params)
      throws SQLException {
    List<Span> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select " + SPAN_COLUMNS + FROM + where)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(span(rs));
        }
      }
    }
    return out;
  }

  static Span span(ResultSet rs) throws SQLException {
    long parent = rs.getLong("parent_id");
    Long parentId = rs.wasNull() ? null : parent;
    return new Span(
        rs.getLong("id"),
        rs.getLong("repo_id"),
        rs.getLong("file_id"),
        rs.getString("path"),
        rs.getString("language"),
        SpanKind.fromDb(rs.getString("kind")),
        rs.getString("name"),
        rs.getString("symbol"),
        parentId,
        rs.getInt("start_line"),
        rs.getInt("end_line"),
        rs.getInt("start_byte"),
        rs.getInt("end_byte"),
        rs.getString("signature"),
        rs.getString("doc_hint"),
        rs.getString("code"),
        rs.getString("content_hash"),
        rs.getInt("token_estimate"));
  }

  private static @Nullable StoredEnrichment enrichment(Connection c, long spanId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select e.model, e.backend, e.prompt_version, e.schema_version, e.mode,"
                + " e.span_hash = s.content_hash as current, e.created_at, e.notes,"
                + " e.dropped_related, e.payload::text as payload"
                + " from enrichments e join spans s on s.id = e.span_id"
                + " where e.span_id = ?"
                + " order by (e.span_hash = s.content_hash) desc, e.created_at desc,"
                + " e.prompt_version desc limit 1")) {
      ps.setLong(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new StoredEnrichment(
            rs.getString("model"),
            rs.getString("backend"),
            rs.getInt("prompt_version"),
            rs.getInt("schema_version"),
            rs.getString("mode"),
            rs.getBoolean("current"),
            rs.getTimestamp("created_at").toInstant().toString(),
            rs.getString("notes"),
            rs.getInt("dropped_related"),
            EnrichmentJson.fromJson(rs.getString("payload")));
      }
    }
  }

  private static List<LinkedSpan> linksFrom(Connection c, long spanId, @Nullable String model)
      throws SQLException {
    String sql =
        "select distinct s.id, f.path, s.kind, s.symbol, s.start_line, s.end_line"
            + " from span_links l join spans s on s.id = l.to_span_id"
            + " join files f on f.id = s.file_id where l.from_span_id = ?"
            + (model == null ? "" : " and l.model = ?")
            + " order by f.path, s.start_line";
    return links(c, sql, model == null ? new Object[] {spanId} : new Object[] {spanId, model});
  }

  private static List<LinkedSpan> linksTo(Connection c, long spanId) throws SQLException {
    String sql =
        "select distinct s.id, f.path, s.kind, s.symbol, s.start_line, s.end_line"
            + " from span_links l join spans s on s.id = l.from_span_id"
            + " join files f on f.id = s.file_id where l.to_span_id = ?"
            + " order by f.path, s.start_line";
    return links(c, sql, spanId);
  }

  private static List<LinkedSpan> links(Connection c, String sql, Object... params)
      throws SQLException {
    List<LinkedSpan> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new LinkedSpan(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6)));
        }
      }
    }
    return out;
  }
}
