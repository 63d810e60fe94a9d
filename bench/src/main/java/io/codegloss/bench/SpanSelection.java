package io.codegloss.bench;

import io.codegloss.core.db.Database;
import io.codegloss.core.store.SpanTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spans every run enriches. Indexing the same corpus into a fresh database gives the same
 * spans, but not necessarily the same ids, so spans are named by file, lines, kind and symbol. With
 * {@code --limit N} the first N in file and line order are kept (a class before its methods) and
 * the others are deleted right after indexing, before anything is planned.
 */
final class SpanSelection {

  private final List<String> keys;

  private SpanSelection(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The first {@code limit} spans of {@code db} (0: all). */
  static SpanSelection first(Database db, int limit) {
    List<String> all = keys(db);
    return new SpanSelection(limit > 0 && limit < all.size() ? all.subList(0, limit) : all);
  }

  /** The first {@code limit} spans of this selection (0: all of them). */
  SpanSelection limit(int limit) {
    return limit > 0 && limit < keys.size() ? new SpanSelection(keys.subList(0, limit)) : this;
  }

  int size() {
    return keys.size();
  }

  /** Deletes every span of {@code db} that is not selected; returns how many are left. */
  int apply(Database db) {
    Set<String> keep = new HashSet<>(keys);
    return db.inTransaction(
        c -> {
          List<Long> drop = new ArrayList<>();
          int left = 0;
          for (SpanTable.Code s : SpanTable.allCode(c)) {
            if (keep.contains(key(s))) {
              left++;
            } else {
              drop.add(s.id());
            }
          }
          SpanTable.delete(c, drop);
          return left;
        });
  }

  /** A span's key: stable across databases indexed from the same corpus. */
  private static String key(SpanTable.Code s) {
    return s.path() + ":" + s.startLine() + "-" + s.endLine() + ":" + s.kind() + ":" + s.symbol();
  }

  private static List<String> keys(Database db) {
    return db.withConnection(c -> SpanTable.allCode(c).stream().map(SpanSelection::key).toList());
  }
}
