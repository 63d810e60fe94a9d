package io.codegloss.bench.quality;

import io.codegloss.core.search.SearchHit;
import io.codegloss.core.search.SearchLayer;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.search.SpanSearch;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --quality retrieval}: how well search finds a documented function from a description of
 * it. Each query is the first sentence of a documented function's or method's docstring, the
 * expected answer that span. The docstring layer is never searched (it holds the answer word for
 * word), and a summary copied from the docstring is not in the prose layer, so only names,
 * signatures, facts and model prose can find it. Scored for three layer sets, each adding one.
 */
public final class Retrieval {

  /** Hits looked at per query. */
  public static final int K = 10;

  /** The layer sets, in the order each adds one; the keys of the JSON maps. */
  public static final Map<String, Set<SearchLayer>> LAYER_SETS = layerSets();

  private Retrieval() {}

  private static Map<String, Set<SearchLayer>> layerSets() {
    Map<String, Set<SearchLayer>> m = new LinkedHashMap<>();
    m.put("names", EnumSet.of(SearchLayer.NAMES));
    m.put("names+facts", EnumSet.of(SearchLayer.NAMES, SearchLayer.FACTS));
    m.put("names+facts+prose", EnumSet.of(SearchLayer.NAMES, SearchLayer.FACTS, SearchLayer.PROSE));
    return m;
  }

  /** One documented span (a benchmark database holds one corpus: searches are not filtered). */
  public record Case(long spanId, String docstring) {}

  /**
   * @param queries how many queries (documented functions and methods with a first sentence)
   * @param mrr10 mean reciprocal rank of the expected span within the first 10 hits, per layer set
   * @param recall10 share of queries whose span is among the first 10 hits, per layer set
   */
  public record Scores(int queries, Map<String, Double> mrr10, Map<String, Double> recall10) {}

  public static Scores score(SpanSearch search, List<Case> cases) {
    Map<String, Double> mrr = new LinkedHashMap<>();
    Map<String, Double> recall = new LinkedHashMap<>();
    int queries = 0;
    for (Map.Entry<String, Set<SearchLayer>> set : LAYER_SETS.entrySet()) {
      double rr = 0;
      int found = 0;
      queries = 0;
      for (Case c : cases) {
        String query = query(c.docstring());
        if (query.isEmpty()) {
          continue;
        }
        queries++;
        List<SearchHit> hits = search.search(SearchRequest.of(query, K), set.getValue());
        for (int i = 0; i < hits.size(); i++) {
          if (hits.get(i).spanId() == c.spanId()) {
            rr += 1.0 / (i + 1);
            found++;
            break;
          }
        }
      }
      mrr.put(set.getKey(), queries == 0 ? 0 : rr / queries);
      recall.put(set.getKey(), queries == 0 ? 0 : (double) found / queries);
    }
    return new Scores(queries, mrr, recall);
  }

  /** The docstring's first sentence, cut to the request's size limit. */
  static String query(String docstring) {
    String q = SummaryScores.firstSentence(docstring);
    while (q.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > SearchRequest.MAX_QUERY_BYTES) {
      q = q.substring(0, q.length() / 2);
    }
    return q;
  }
}
