package io.codegloss.scheduler.plan;

import io.codegloss.core.db.Database;
import io.codegloss.core.span.SpanKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the spans that need an enrichment, whole file by whole file, so that the planner sees every
 * pending neighbour of a span and batches fill.
 *
 * <p>A span is pending when all of these hold:
 *
 * <ul>
 *   <li>it has no current enrichment: no {@code enrichments} row with {@code span_hash =
 *       spans.content_hash}, the given {@code prompt_version} and {@code generation >=
 *       repositories.generation} (of any model);
 *   <li>it is not in a live job: no {@code job_spans} row with the same {@code span_hash} whose job
 *       is {@code enqueued} or {@code processing};
 *   <li>it is not held back by a failure of the same code: no {@code span_failures} row with the
 *       same {@code span_hash} that is {@code permanent} or whose {@code next_attempt_at} is still
 *       in the future.
 * </ul>
 *
 * A changed span has a new content hash, so old enrichments, jobs and failures no longer hold it
 * back.
 *
 * <p>Class spans with child spans are returned as {@link SpanContent#OUTLINE} with the outline's
 * estimated tokens (see {@link SpanContent}); child spans count whether or not they are pending,
 * since the outline leaves their bodies out either way.
 */
public final class PendingSpans {

  /** For {@code limitFiles}: every file with a pending span. */
  public static final int ALL_FILES = Integer.MAX_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(PendingSpans.class);

  private static final String SQL =
      """
      with pending as (
        select s.id, s.file_id, s.language, s.kind, s.parent_id, s.symbol,
               s.start_line, s.end_line, s.token_estimate, s.content_hash
        from spans s
        join repositories r on r.id = s.repo_id
        where s.repo_id = ?
          and not exists (
            select 1 from enrichments e
            where e.span_id = s.id and e.span_hash = s.content_hash
              and e.prompt_version = ? and e.generation >= r.generation)
          and not exists (
            select 1 from job_spans js join jobs j on j.id = js.job_id
            where js.span_id = s.id and js.span_hash = s.content_hash
              and j.status in ('enqueued', 'processing'))
          and not exists (
            select 1 from span_failures sf
            where sf.span_id = s.id and sf.span_hash = s.content_hash
              and (sf.permanent or sf.next_attempt_at > now()))
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
             kids.n as child_count, kids.tokens as child_tokens,
             kids.signature_tokens as child_signature_tokens
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

  private final Database db;

  public PendingSpans(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Pending spans of at most {@code limitFiles} files of the repository (files in path order),
   * every pending span of each of those files, ordered by path and line.
   *
   * @param promptVersion the prompt version current enrichments must have
   * @param limitFiles at least 1; {@link #ALL_FILES} for all
   */
  public List<PlanSpan> pending(long repoId, int promptVersion, int limitFiles) {
    return db.withConnection(c -> pending(c, repoId, promptVersion, limitFiles));
  }

  /** As {@link #pending(long, int, int)}, inside the caller's transaction. */
  public static List<PlanSpan> pending(
      Connection connection, long repoId, int promptVersion, int limitFiles) throws SQLException {
    if (limitFiles < 1) {
      throw new IllegalArgumentException("limitFiles must be at least 1, not " + limitFiles);
    }
    List<PlanSpan> spans = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(SQL)) {
      ps.setLong(1, repoId);
      ps.setInt(2, promptVersion);
      ps.setInt(3, limitFiles);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spans.add(read(rs));
        }
      }
    }
    LOG.debug(
        "repository {}: {} pending spans (prompt version {}, at most {} files)",
        repoId,
        spans.size(),
        promptVersion,
        limitFiles);
    return spans;
  }

  private static PlanSpan read(ResultSet rs) throws SQLException {
    SpanKind kind = SpanKind.fromDb(rs.getString("kind"));
    long parent = rs.getLong("parent_id");
    Long parentId = rs.wasNull() ? null : parent;
    int tokens = rs.getInt("token_estimate");
    SpanContent content = SpanContent.WHOLE;
    if (kind == SpanKind.CLASS && rs.getLong("child_count") > 0) {
      content = SpanContent.OUTLINE;
      tokens =
          outlineTokens(tokens, rs.getLong("child_tokens"), rs.getLong("child_signature_tokens"));
    }
    return new PlanSpan(
        rs.getLong("id"),
        rs.getLong("file_id"),
        rs.getString("path"),
        rs.getString("language"),
        kind,
        parentId,
        rs.getString("symbol"),
        rs.getInt("start_line"),
        rs.getInt("end_line"),
        tokens,
        rs.getString("content_hash"),
        content);
  }

  /**
   * The class's tokens without its children's bodies but with one line's share of each child's
   * tokens standing for its signature; at least 1.
   */
  static int outlineTokens(int classTokens, long childTokens, long childSignatureTokens) {
    long outline = classTokens - childTokens + childSignatureTokens;
    return (int) Math.max(1, Math.min(classTokens, outline));
  }
}
