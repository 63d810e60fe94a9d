package io.codegloss.scheduler.index;

import io.codegloss.core.store.SpanTable;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Matches the spans found in a file now with the rows stored for it, so that unchanged code keeps
 * its row id (and with it its enrichment) wherever it moved, edited code keeps its row but gets a
 * new hash (and so becomes pending), and only what really went away is deleted.
 *
 * <p>Order of matching: same symbol and same hash; then same hash (a renamed parent); then same
 * symbol (an edit); then spans of deleted files with the same hash (a renamed file); the rest is
 * new. Within a group, spans pair up in document order.
 */
final class SpanDiff {

  enum Action {
    /** Same code as a stored row of this file. */
    KEEP,
    /** Same symbol as a stored row, new code. */
    CHANGE,
    /** Same code as a row of a file deleted in this run. */
    ADOPT,
    /** No counterpart. */
    ADD
  }

  record Match(ExtractedSpan span, Action action, SpanTable.@Nullable Stored old) {}

  record Result(List<Match> matches, List<SpanTable.Stored> removed) {}

  private SpanDiff() {}

  static Result diff(List<SpanTable.Stored> stored, List<ExtractedSpan> found, SpanPool pool) {
    Match[] matches = new Match[found.size()];
    Set<SpanTable.Stored> unmatched = new LinkedHashSet<>(stored);

    Map<String, Deque<SpanTable.Stored>> bySymbolAndHash = new HashMap<>();
    for (SpanTable.Stored s : stored) {
      bySymbolAndHash
          .computeIfAbsent(s.symbol() + '\0' + s.contentHash(), k -> new ArrayDeque<>())
          .add(s);
    }
    for (int i = 0; i < found.size(); i++) {
      ExtractedSpan f = found.get(i);
      SpanTable.Stored s = poll(bySymbolAndHash, f.symbol() + '\0' + f.contentHash(), unmatched);
      if (s != null) {
        matches[i] = new Match(f, Action.KEEP, s);
      }
    }

    Map<String, Deque<SpanTable.Stored>> byHash = new HashMap<>();
    Map<String, Deque<SpanTable.Stored>> bySymbol = new HashMap<>();
    for (SpanTable.Stored s : unmatched) {
      byHash.computeIfAbsent(s.contentHash(), k -> new ArrayDeque<>()).add(s);
      bySymbol.computeIfAbsent(s.symbol(), k -> new ArrayDeque<>()).add(s);
    }
    for (int i = 0; i < found.size(); i++) {
      if (matches[i] == null) {
        SpanTable.Stored s = poll(byHash, found.get(i).contentHash(), unmatched);
        if (s != null) {
          matches[i] = new Match(found.get(i), Action.KEEP, s);
        }
      }
    }
    for (int i = 0; i < found.size(); i++) {
      if (matches[i] == null) {
        SpanTable.Stored s = poll(bySymbol, found.get(i).symbol(), unmatched);
        if (s != null) {
          matches[i] = new Match(found.get(i), Action.CHANGE, s);
        }
      }
    }
    for (int i = 0; i < found.size(); i++) {
      if (matches[i] == null) {
        SpanTable.Stored s = pool.claim(found.get(i).contentHash());
        matches[i] =
            s == null
                ? new Match(found.get(i), Action.ADD, null)
                : new Match(found.get(i), Action.ADOPT, s);
      }
    }
    return new Result(List.of(matches), new ArrayList<>(unmatched));
  }

  /** Takes the first stored span under {@code key} that no earlier pass has taken. */
  private static SpanTable.@Nullable Stored poll(
      Map<String, Deque<SpanTable.Stored>> index, String key, Set<SpanTable.Stored> unmatched) {
    Deque<SpanTable.Stored> q = index.get(key);
    while (q != null && !q.isEmpty()) {
      SpanTable.Stored s = q.poll();
      if (unmatched.remove(s)) {
        return s;
      }
    }
    return null;
  }

  /** Unchanged code whose place changed: other lines or bytes, another symbol, another file. */
  static boolean moved(Match m, long fileId) {
    SpanTable.Stored s = m.old();
    ExtractedSpan f = m.span();
    return s != null
        && (s.fileId() != fileId
            || s.startLine() != f.startLine()
            || s.endLine() != f.endLine()
            || s.startByte() != f.startByte()
            || s.endByte() != f.endByte()
            || !s.symbol().equals(f.symbol()));
  }
}
