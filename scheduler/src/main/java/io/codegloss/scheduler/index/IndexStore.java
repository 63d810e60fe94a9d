package io.codegloss.scheduler.index;

import io.codegloss.core.store.FileTable;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanTable;
import io.codegloss.scheduler.index.SpanDiff.Action;
import io.codegloss.scheduler.index.SpanDiff.Match;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import io.codegloss.scheduler.index.walk.SkippedFile;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The indexer's writes, one file at a time: the diff of a file's stored and found spans becomes
 * inserts, updates and deletes through the table owners. Every method runs on a connection the
 * caller owns, inside the caller's transaction: one file's row and all of its spans are written in
 * one transaction, so an interrupted run leaves either the old or the new state of each file.
 */
final class IndexStore {

  /** What writing one file did to its spans. */
  record SpanCounts(int added, int changed, int moved, int removed) {}

  /**
   * What writing one file did, and the row id of each found span (same order as the found list), so
   * that the span's calls can be written by id.
   */
  record SpanWrite(SpanCounts counts, long[] ids) {}

  private IndexStore() {}

  static Map<String, SkippedFile> loadSkipped(Connection c, long repoId) throws SQLException {
    Map<String, SkippedFile> out = new HashMap<>();
    for (FileTable.Skipped s : FileTable.skipped(c, repoId).values()) {
      out.put(s.path(), new SkippedFile(s.path(), s.reason(), s.detail()));
    }
    return out;
  }

  static void syncSkipped(
      Connection c, long repoId, Map<String, SkippedFile> before, Map<String, SkippedFile> now)
      throws SQLException {
    FileTable.syncSkipped(c, repoId, rows(before), rows(now));
  }

  private static Map<String, FileTable.Skipped> rows(Map<String, SkippedFile> files) {
    Map<String, FileTable.Skipped> out = new HashMap<>();
    files.forEach(
        (path, s) -> out.put(path, new FileTable.Skipped(s.path(), s.reason(), s.detail())));
    return out;
  }

  /**
   * Brings the spans of one file in line with what the parser found now. Must run in the same
   * transaction as {@link FileTable#upsert}.
   */
  static SpanWrite writeSpans(
      Connection c, long repoId, long fileId, List<ExtractedSpan> found, SpanPool pool)
      throws SQLException {
    List<SpanTable.Stored> stored = SpanTable.ofFiles(c, List.of(fileId));
    SpanDiff.Result diff = SpanDiff.diff(stored, found, pool);
    List<Match> matches = diff.matches();

    long[] ids = new long[matches.size()];
    List<Integer> added = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      if (m.action() == Action.ADD) {
        added.add(i);
      } else {
        ids[i] = Objects.requireNonNull(m.old()).id();
      }
    }
    long[] fresh = SpanTable.allocateIds(c, added.size());
    for (int k = 0; k < added.size(); k++) {
      ids[added.get(k)] = fresh[k];
    }

    SpanTable.delete(c, diff.removed().stream().map(SpanTable.Stored::id).toList());

    if (!added.isEmpty()) {
      List<SpanTable.Write> inserts = new ArrayList<>();
      for (int i : parentsFirst(matches, added)) {
        inserts.add(write(matches.get(i).span(), ids[i], fileId, ids, true));
      }
      SpanTable.insert(c, repoId, inserts);
    }

    int changed = 0;
    int moved = 0;
    List<SpanTable.Write> updates = new ArrayList<>();
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      if (m.action() == Action.ADD) {
        continue;
      }
      ExtractedSpan f = m.span();
      SpanTable.Stored s = Objects.requireNonNull(m.old());
      Long parentId = f.parentIndex() < 0 ? null : ids[f.parentIndex()];
      boolean codeChanged = m.action() == Action.CHANGE;
      if (codeChanged) {
        changed++;
      } else if (SpanDiff.moved(m, fileId)) {
        moved++;
      }
      if (codeChanged || differs(s, f, fileId, parentId)) {
        updates.add(write(f, s.id(), fileId, ids, codeChanged));
      }
    }
    SpanTable.update(c, updates);
    return new SpanWrite(new SpanCounts(added.size(), changed, moved, diff.removed().size()), ids);
  }

  /** The row of a found span; its code and token estimate only where they changed. */
  private static SpanTable.Write write(
      ExtractedSpan f, long id, long fileId, long[] ids, boolean withCode) {
    return new SpanTable.Write(
        id,
        fileId,
        f.language(),
        f.kind(),
        f.nodeType(),
        f.name(),
        f.symbol(),
        f.parentIndex() < 0 ? null : ids[f.parentIndex()],
        f.startLine(),
        f.endLine(),
        f.startByte(),
        f.endByte(),
        f.signature(),
        f.docHint(),
        withCode ? f.code() : null,
        f.contentHash(),
        withCode ? f.tokenEstimate() : null);
  }

  private static boolean differs(SpanTable.Stored s, ExtractedSpan f, long fileId, Long parentId) {
    return s.fileId() != fileId
        || s.startLine() != f.startLine()
        || s.endLine() != f.endLine()
        || s.startByte() != f.startByte()
        || s.endByte() != f.endByte()
        || !Objects.equals(s.parentId(), parentId)
        || !s.symbol().equals(f.symbol())
        || !s.name().equals(f.name())
        || !s.kind().equals(f.kind().dbName())
        || !s.nodeType().equals(f.nodeType())
        || !Objects.equals(s.signature(), f.signature())
        || !Objects.equals(s.docHint(), f.docHint());
  }

  /**
   * New spans in an order where a parent is inserted before its children, so that parent_id's
   * foreign key holds at every statement (a Go method can precede its struct in the file).
   */
  private static List<Integer> parentsFirst(List<Match> matches, List<Integer> added) {
    List<Integer> order = new ArrayList<>(added.size());
    boolean[] placed = new boolean[matches.size()];
    boolean[] isAdded = new boolean[matches.size()];
    for (int i : added) {
      isAdded[i] = true;
    }
    for (int i : added) {
      place(i, matches, isAdded, placed, order, 0);
    }
    return order;
  }

  private static void place(
      int i, List<Match> matches, boolean[] isAdded, boolean[] placed, List<Integer> order, int d) {
    if (placed[i]) {
      return;
    }
    int parent = matches.get(i).span().parentIndex();
    if (parent >= 0 && isAdded[parent] && !placed[parent] && d < 256) {
      place(parent, matches, isAdded, placed, order, d + 1);
    }
    placed[i] = true;
    order.add(i);
  }

  /**
   * Deletes file rows and their spans (everything hanging off the spans goes by cascade).
   *
   * @return the number of spans that went with them
   */
  static int deleteFiles(Connection c, Collection<Long> fileIds) throws SQLException {
    if (fileIds.isEmpty()) {
      return 0;
    }
    int spans = SpanTable.deleteOfFiles(c, fileIds);
    FileTable.delete(c, fileIds);
    return spans;
  }

  static long finishRun(Connection c, long repoId) throws SQLException {
    RepositoryTable.markIndexed(c, repoId);
    return SpanTable.count(c, repoId);
  }
}
