package io.codegloss.scheduler.index;

import io.codegloss.core.store.SpanTable;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Spans of files that disappeared in this run, offered by content hash to the files that appeared,
 * so that a renamed or moved file keeps its spans (and their enrichments). Claims are atomic: a
 * span goes to at most one new place. Shared by the indexing threads.
 */
final class SpanPool {

  static final SpanPool EMPTY = new SpanPool(java.util.List.of());

  private final Map<String, Deque<SpanTable.Stored>> byHash = new HashMap<>();

  SpanPool(Collection<SpanTable.Stored> spans) {
    for (SpanTable.Stored s : spans) {
      byHash.computeIfAbsent(s.contentHash(), h -> new ArrayDeque<>()).add(s);
    }
  }

  synchronized SpanTable.@Nullable Stored claim(String contentHash) {
    Deque<SpanTable.Stored> q = byHash.get(contentHash);
    return q == null ? null : q.poll();
  }

  synchronized boolean isEmpty() {
    return byHash.values().stream().allMatch(Deque::isEmpty);
  }
}
