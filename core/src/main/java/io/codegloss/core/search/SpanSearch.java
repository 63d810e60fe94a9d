package io.codegloss.core.search;

import io.codegloss.core.db.Database;
import io.codegloss.core.store.SpanSearchTable;
import io.codegloss.core.store.SpanState;
import io.codegloss.core.store.SpanStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranked spans for a text query, PostgreSQL doing the work: full-text search over the span's layers
 * (names, docstring, facts, model prose) plus trigram similarity for partial identifiers. The state
 * of each hit is read from the {@code span_state} view, the one place it is decided.
 */
public final class SpanSearch {

  private final Database db;

  public SpanSearch(Database db) {
    this.db = db;
  }

  /** Searches every layer; an empty list when nothing matches. */
  public List<SearchHit> search(SearchRequest r) {
    return search(r, SearchLayer.all());
  }

  /** Searches only the given layers (the retrieval benchmark compares layer sets). */
  public List<SearchHit> search(SearchRequest r, Set<SearchLayer> layers) {
    return db.inTransaction(
        c -> {
          // One snapshot for the hits and their states (the pool resets both on return).
          c.setReadOnly(true);
          c.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
          List<SpanSearchTable.Match> matches =
              SpanSearchTable.search(
                  c,
                  new SpanSearchTable.Query(
                      r.query(),
                      r.limit(),
                      r.repositoryRoot().orElse(null),
                      r.language().orElse(null),
                      r.kind().orElse(null),
                      layers.contains(SearchLayer.NAMES),
                      layers.contains(SearchLayer.DOCSTRING),
                      layers.contains(SearchLayer.FACTS),
                      layers.contains(SearchLayer.PROSE)));
          if (matches.isEmpty()) {
            return List.of();
          }
          Map<Long, SpanState> states =
              SpanStates.states(c, matches.stream().map(SpanSearchTable.Match::spanId).toList());
          List<SearchHit> hits = new ArrayList<>(matches.size());
          for (SpanSearchTable.Match m : matches) {
            SpanState state = states.get(m.spanId());
            hits.add(
                new SearchHit(
                    m.spanId(),
                    m.repositoryRoot(),
                    m.path(),
                    m.startLine(),
                    m.endLine(),
                    m.symbol(),
                    m.kind(),
                    m.language(),
                    m.summary(),
                    state == null ? SpanState.NOT_INDEXED.db() : state.db(),
                    m.score()));
          }
          return hits;
        });
  }
}
