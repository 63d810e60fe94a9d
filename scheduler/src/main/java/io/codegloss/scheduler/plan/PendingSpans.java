package io.codegloss.scheduler.plan;

import io.codegloss.core.db.Database;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.store.SpanStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the spans that may be planned now ({@code span_state.plannable}: no current note, not in a
 * live job, not held back by a failure of the same code), whole file by whole file, so that the
 * planner sees every pending neighbour of a span and batches fill. A changed span has a new content
 * hash, so old notes, jobs and failures no longer hold it back.
 *
 * <p>Class spans with child spans are returned as {@link SpanContent#OUTLINE} with the outline's
 * estimated tokens (see {@link SpanContent}); child spans count whether or not they are pending,
 * since the outline leaves their bodies out either way.
 */
public final class PendingSpans {

  /** For {@code limitFiles}: every file with a pending span. */
  public static final int ALL_FILES = Integer.MAX_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(PendingSpans.class);

  private final Database db;

  public PendingSpans(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Pending spans of at most {@code limitFiles} files of the repository (files in path order),
   * every pending span of each of those files, ordered by path and line.
   *
   * @param limitFiles at least 1; {@link #ALL_FILES} for all
   */
  public List<PlanSpan> pending(long repoId, int limitFiles) {
    return db.withConnection(c -> pending(c, repoId, limitFiles));
  }

  /** As {@link #pending(long, int)}, inside the caller's transaction. */
  public static List<PlanSpan> pending(Connection connection, long repoId, int limitFiles)
      throws SQLException {
    if (limitFiles < 1) {
      throw new IllegalArgumentException("limitFiles must be at least 1, not " + limitFiles);
    }
    List<PlanSpan> spans = new ArrayList<>();
    for (SpanStates.Plannable p : SpanStates.plannable(connection, repoId, limitFiles)) {
      spans.add(planSpan(p));
    }
    LOG.debug(
        "repository {}: {} pending spans (at most {} files)", repoId, spans.size(), limitFiles);
    return spans;
  }

  /** What the planner needs of a plannable span (a class with children as its outline). */
  public static PlanSpan planSpan(SpanStates.Plannable p) {
    int tokens = p.tokenEstimate();
    SpanContent content = SpanContent.WHOLE;
    if (p.kind() == SpanKind.CLASS && p.childCount() > 0) {
      content = SpanContent.OUTLINE;
      tokens = outlineTokens(tokens, p.childTokens(), p.childSignatureTokens());
    }
    return new PlanSpan(
        p.spanId(),
        p.fileId(),
        p.path(),
        p.language(),
        p.kind(),
        p.parentId(),
        p.symbol(),
        p.startLine(),
        p.endLine(),
        tokens,
        p.contentHash(),
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
