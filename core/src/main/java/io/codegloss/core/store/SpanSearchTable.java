package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code span_search}: one row per span with its search text as weighted layers (names A,
 * docstring B, facts C, model prose D) and its lower-cased symbol for trigram matching. The rows
 * are written by the triggers of migration V6, at the commit of any transaction that changed spans,
 * facts or enrichments (the one rule that keeps them current); this class only reads.
 */
public final class SpanSearchTable {

  /**
   * ts_rank's weights for layers D (prose), C (facts), B (docstring), A (names): a word in a name
   * counts most, but prose and facts are not the afterthought PostgreSQL's default (0.1, 0.2) makes
   * them.
   */
  private static final String WEIGHTS = "'{0.4, 0.4, 0.6, 1.0}'";

  /** Rank normalisation 1: divide by 1 + log(lexemes), so that a long class does not win alone. */
  private static final int NORMALIZATION = 1;

  /** A partial identifier is one word of 3 to 100 characters; trigrams of a sentence are noise. */
  private static final int TRIGRAM_MIN = 3;

  private static final int TRIGRAM_MAX = 100;

  private SpanSearchTable() {}

  /**
   * A search as the table runs it: filters are null when absent; the booleans choose the layers
   * searched (at least one).
   */
  public record Query(
      String text,
      int limit,
      @Nullable String repositoryRoot,
      @Nullable String language,
      @Nullable String kind,
      boolean names,
      boolean docstring,
      boolean facts,
      boolean prose) {

    boolean allLayers() {
      return names && docstring && facts && prose;
    }
  }

  /** A ranked span before its state is read. */
  public record Match(
      long spanId,
      String repositoryRoot,
      String path,
      int startLine,
      int endLine,
      String symbol,
      String kind,
      String language,
      @Nullable String summary,
      double score) {}

  /**
   * The best {@code r.limit()} spans for the query over the given layers, best first (ties by span
   * id). No text is parsed as tsquery syntax (see {@code codegloss_search_tsquery}).
   */
  public static List<Match> search(Connection c, Query r) throws SQLException {
    // Spans with every word first (score + 1, so that scores stay in hit order); only when they
    // are fewer than the limit does the OR form, which on a large index matches a good part of it,
    // fill the rest.
    List<Match> all = search(c, r, "codegloss_search_tsquery_all", 1.0);
    if (all.size() >= r.limit()) {
      return all;
    }
    List<Match> out = new ArrayList<>(all);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    all.forEach(m -> seen.add(m.spanId()));
    for (Match m : search(c, r, "codegloss_search_tsquery", 0.0)) {
      if (out.size() >= r.limit()) {
        break;
      }
      if (seen.add(m.spanId())) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * @param tsqueryFunction the SQL function that turns the text into a tsquery (a constant here)
   * @param bonus added to every score of this pass
   */
  private static List<Match> search(Connection c, Query r, String tsqueryFunction, double bonus)
      throws SQLException {
    if (!(r.names() || r.docstring() || r.facts() || r.prose())) {
      throw new IllegalArgumentException("search needs at least one layer");
    }
    // PostgreSQL text cannot hold NUL; it separates words like any control character.
    String query = r.text().replace('\u0000', ' ').strip();
    if (query.isEmpty()) {
      return List.of();
    }
    // The whole document is stored and indexed; a subset (the benchmark's) is concatenated here.
    String document = r.allLayers() ? "ss.document" : concat(r);
    boolean trigram =
        r.names()
            && query.length() >= TRIGRAM_MIN
            && query.length() <= TRIGRAM_MAX
            && query.codePoints().noneMatch(Character::isWhitespace);
    String trigramCandidates =
        trigram
            ? " union select span_id from span_search"
                + " where identifiers like ? escape '\\' or ? <% identifiers"
            : "";
    // Only a real partial match adds its similarity: below the threshold every symbol shares a
    // trigram or two with the query, and that noise would outweigh a full-text match.
    String similarity =
        trigram
            ? " + case when ss.identifiers like ? escape '\\' or ? <% ss.identifiers"
                + " then word_similarity(?, ss.identifiers) else 0 end"
            : "";
    String sql =
        "with tsq as materialized (select "
            + tsqueryFunction
            + "(?) as q, codegloss_search_tsquery(?) as rank_q),"
            + " candidates as (select ss.span_id from span_search ss"
            + " where "
            + document
            + " @@ (select q from tsq)"
            + trigramCandidates
            + "),"
            + " ranked as (select ss.span_id, ts_rank("
            + WEIGHTS
            + ", "
            + document
            // ranked by the OR form in both passes: ts_rank of an AND query weighs the words'
            // distance to each other, which a symbol repeated in its signature distorts
            + ", (select rank_q from tsq), "
            + NORMALIZATION
            + ")"
            + similarity
            + " as score"
            + " from span_search ss join candidates k on k.span_id = ss.span_id)"
            + " select s.id, r.root_path, f.path, s.start_line, s.end_line, s.symbol, s.kind,"
            + " s.language, e.summary, ranked.score + "
            + bonus
            + " from ranked"
            + " join spans s on s.id = ranked.span_id"
            + " join files f on f.id = s.file_id"
            + " join repositories r on r.id = s.repo_id"
            + " left join lateral (select e.summary from enrichments e"
            + " where e.span_id = s.id and e.span_hash = s.content_hash"
            + " and e.prompt_version >= codegloss_current_prompt_version()"
            + " order by e.created_at desc, e.model limit 1) e on true"
            + " where (?::text is null or r.root_path = ?::text)"
            + " and (?::text is null or s.language = ?::text)"
            + " and (?::text is null or s.kind = ?::text)"
            + " and ranked.score > 0"
            + " order by ranked.score desc, s.id"
            + " limit ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, query);
      ps.setString(i++, query);
      if (trigram) {
        String lower = query.toLowerCase(Locale.ROOT);
        ps.setString(i++, "%" + escapeLike(lower) + "%");
        ps.setString(i++, lower);
        ps.setString(i++, "%" + escapeLike(lower) + "%");
        ps.setString(i++, lower);
        ps.setString(i++, lower);
      }
      // language and kind words are stored in lower case; a root path is taken as given
      for (String v :
          new String[] {
            r.repositoryRoot(),
            r.language() == null ? null : lower(r.language()),
            r.kind() == null ? null : lower(r.kind())
          }) {
        ps.setString(i++, v);
        ps.setString(i++, v);
      }
      ps.setInt(i, r.limit());
      List<Match> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Match(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getDouble(10)));
        }
      }
      return out;
    }
  }

  private static String concat(Query r) {
    StringJoiner j = new StringJoiner(" || ", "(", ")");
    if (r.names()) {
      j.add("ss.names");
    }
    if (r.docstring()) {
      j.add("ss.doc");
    }
    if (r.facts()) {
      j.add("ss.facts");
    }
    if (r.prose()) {
      j.add("ss.prose");
    }
    return j.toString();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** LIKE's wildcards and its escape character, taken literally. */
  static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
