package io.codegloss.core.store;

import io.codegloss.core.span.SpanKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Owner of the {@code span_state} view, the one place where a span's state is decided (not indexed,
 * facts only, enriched, prose failed; queued and plannable beside it). Status, plan, {@code up},
 * the sweeper, the dashboard and the bench read states only through here; when the meaning of
 * "enriched" changes, a migration replaces the view and nothing else changes.
 */
public final class SpanStates {

  private SpanStates() {}

  /** The spans of one language and kind of a repository, by state. */
  public record LanguageKind(
      long repoId,
      String language,
      String kind,
      long spans,
      long enriched,
      long failed,
      long factsOnly,
      long notIndexed) {
    /** Spans without a current note (failed ones included). */
    public long notEnriched() {
      return spans - enriched;
    }
  }

  public static List<LanguageKind> byLanguageAndKind(Connection c) throws SQLException {
    List<LanguageKind> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select repo_id, language, kind, count(*), count(*) filter (where enriched),"
                    + " count(*) filter (where failed),"
                    + " count(*) filter (where state = 'facts_only'),"
                    + " count(*) filter (where state = 'not_indexed') from span_state"
                    + " group by repo_id, language, kind order by repo_id, language, kind");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new LanguageKind(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8)));
      }
    }
    return out;
  }

  /**
   * A repository's spans (or all repositories' when {@code repoId} is null) by state.
   *
   * @param enriched facts and validated prose for the current code
   * @param failed prose failed: no current note, a refusal recorded for the current code
   * @param failedForGood of those, the ones that will not be tried again until their code changes
   * @param queued in an enqueued or processing job (any state)
   * @param factsOnly facts, no prose yet
   * @param notIndexed no facts for the current code
   * @param modelProse enriched spans whose summary the model wrote (not the span's docstring)
   */
  public record Counts(
      long spans,
      long enriched,
      long failed,
      long failedForGood,
      long queued,
      long factsOnly,
      long notIndexed,
      long modelProse) {
    /** Spans with facts: every state but not_indexed. */
    public long withFacts() {
      return spans - notIndexed;
    }

    /** Spans that are neither enriched nor failed for good: work is still to be done. */
    public long unsettled() {
      return spans - enriched - failedForGood;
    }
  }

  public static Counts counts(Connection c, @Nullable Long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*), count(*) filter (where enriched), count(*) filter (where failed),"
                + " count(*) filter (where failure_permanent), count(*) filter (where queued),"
                + " count(*) filter (where state = 'facts_only'),"
                + " count(*) filter (where state = 'not_indexed'),"
                + " count(*) filter (where enriched and model_prose)"
                + " from span_state where (?::bigint is null or repo_id = ?::bigint)")) {
      ps.setObject(1, repoId);
      ps.setObject(2, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Counts(
            rs.getLong(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getLong(6),
            rs.getLong(7),
            rs.getLong(8));
      }
    }
  }

  /**
   * A span that may be planned now, with what the planner needs to size a class sent as an outline:
   * its child spans' tokens and one line's share of each child's tokens.
   */
  public record Plannable(
      long spanId,
      long fileId,
      String path,
      String language,
      SpanKind kind,
      @Nullable Long parentId,
      String symbol,
      int startLine,
      int endLine,
      int tokenEstimate,
      String contentHash,
      long childCount,
      long childTokens,
      long childSignatureTokens,
      boolean changed) {}

  private static final String PLANNABLE =
      """
      with first_job as (
        select min(created_at) as at from jobs where repo_id = ?
      ),
      pending as (
        select s.id, s.file_id, s.language, s.kind, s.parent_id, s.symbol,
               s.start_line, s.end_line, s.token_estimate, s.content_hash,
               coalesce(s.updated_at > (select at from first_job), false) as changed
        from spans s
        join span_state st on st.span_id = s.id
        where s.repo_id = ? and st.plannable
      ),
      chosen as (
        select f.id, f.path
        from files f
        where f.id in (select file_id from pending)
        order by f.path, f.id
        limit ?
      )
      select p.id, p.file_id, ch.path, p.language, p.kind, p.parent_id, p.symbol,
             p.start_line, p.end_line, p.token_estimate, p.content_hash,
             kids.n, kids.tokens, kids.signature_tokens, p.changed
      from pending p
      join chosen ch on ch.id = p.file_id
      cross join lateral (
        select count(*) as n,
               coalesce(sum(c.token_estimate), 0) as tokens,
               coalesce(sum(ceil(c.token_estimate::numeric
                                 / (c.end_line - c.start_line + 1))), 0) as signature_tokens
        from spans c
        where p.kind = 'class'
          and c.file_id = p.file_id and c.parent_id = p.id
          and c.start_line >= p.start_line and c.end_line <= p.end_line
      ) kids
      order by ch.path, ch.id, p.start_line, p.end_line desc, p.id
      """;

  /**
   * The plannable spans of at most {@code limitFiles} files of the repository (files in path
   * order), every plannable span of each of those files, ordered by path and line, so that the
   * planner sees every pending neighbour of a span and batches fill.
   */
  public static List<Plannable> plannable(Connection c, long repoId, int limitFiles)
      throws SQLException {
    List<Plannable> spans = new ArrayList<>();
    forEachPlannable(c, repoId, limitFiles, spans::add);
    return spans;
  }

  /** Receives plannable spans one by one. */
  public interface PlannableSink {
    void accept(Plannable span) throws SQLException;
  }

  /**
   * As {@link #plannable}, one span at a time, read from the server in pages: a whole repository is
   * never held in memory. Needs {@code c} outside auto-commit (the driver only pages inside a
   * transaction).
   *
   * <p>{@code changed} says the span's code was written after the repository's first job: an edit
   * (or a new span) that an operator is waiting for, as opposed to a first or whole re-enrichment.
   */
  public static void forEachPlannable(Connection c, long repoId, int limitFiles, PlannableSink sink)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PLANNABLE)) {
      ps.setFetchSize(2000);
      ps.setLong(1, repoId);
      ps.setLong(2, repoId);
      ps.setInt(3, limitFiles);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long parent = rs.getLong(6);
          Long parentId = rs.wasNull() ? null : parent;
          sink.accept(
              new Plannable(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getString(4),
                  SpanKind.fromDb(rs.getString(5)),
                  parentId,
                  rs.getString(7),
                  rs.getInt(8),
                  rs.getInt(9),
                  rs.getInt(10),
                  rs.getString(11),
                  rs.getLong(12),
                  rs.getLong(13),
                  rs.getLong(14),
                  rs.getBoolean(15)));
        }
      }
    }
  }

  /** A repository and its spans by state, for the dashboard's queue panel. */
  public record ByRepository(
      long repoId,
      String name,
      String rootPath,
      long spans,
      long enriched,
      long failed,
      long factsOnly,
      long notIndexed) {}

  /** Every repository (spans or not), by name. */
  public static List<ByRepository> byRepository(Connection c) throws SQLException {
    List<ByRepository> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "with per_repo as (select repo_id, count(*) as spans,"
                    + " count(*) filter (where enriched) as enriched,"
                    + " count(*) filter (where failed) as failed,"
                    + " count(*) filter (where state = 'facts_only') as facts_only,"
                    + " count(*) filter (where state = 'not_indexed') as not_indexed"
                    + " from span_state group by repo_id)"
                    + " select r.id, r.name, r.root_path, coalesce(p.spans, 0),"
                    + " coalesce(p.enriched, 0), coalesce(p.failed, 0),"
                    + " coalesce(p.facts_only, 0), coalesce(p.not_indexed, 0)"
                    + " from repositories r left join per_repo p on p.repo_id = r.id"
                    + " order by r.name, r.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ByRepository(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8)));
      }
    }
    return out;
  }

  /**
   * For a query over {@code spans s}: whether the span has a current note, as the view says (a
   * scalar subquery is narrowed to the one span by its id, as {@link #state} is). A worker's claim
   * reads it with the job's spans in one statement.
   */
  static final String ENRICHED_OF_S =
      "coalesce((select st.enriched from span_state st where st.span_id = s.id), false)";

  /** The span's state, or null when there is no such span. */
  public static @Nullable SpanState state(Connection c, long spanId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select state from span_state where span_id = ?")) {
      ps.setLong(1, spanId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? SpanState.fromDb(rs.getString(1)) : null;
      }
    }
  }

  /**
   * The states of the given spans (a search's hits); spans that no longer exist are absent. One
   * probe per span: the view's aggregates are narrowed to one span only by an equality on its id.
   */
  public static Map<Long, SpanState> states(Connection c, Collection<Long> spanIds)
      throws SQLException {
    Map<Long, SpanState> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("select state from span_state where span_id = ?")) {
      for (long id : spanIds) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.put(id, SpanState.fromDb(rs.getString(1)));
          }
        }
      }
    }
    return out;
  }
}
