package io.codegloss.bench.quality;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code --quality docstrings}: the model's prose scored against the first sentence of the span's
 * own docstring, which its prompt never showed. Only spans with a docstring count: the others have
 * no reference. The name-words baseline is scored on the same spans, so the two averages compare.
 */
public final class DocstringQuality {

  private DocstringQuality() {}

  /**
   * One span with a docstring.
   *
   * @param name the span's name (the baseline's words)
   * @param docstring the span's own docstring, from its facts
   * @param modelSummary the stored summary when the model wrote it, or null (no note, a failed
   *     span, or a summary copied from the docstring): scored 0 and counted as missing, so that a
   *     mode cannot score higher by failing its hard spans
   */
  public record Case(String name, String docstring, @Nullable String modelSummary) {}

  /**
   * Averages over the spans with a docstring.
   *
   * @param spans spans with a docstring
   * @param missing of those, spans without model prose (scored 0)
   */
  public record Scores(
      int spans,
      double rougeL,
      double bleu4,
      double baselineRougeL,
      double baselineBleu4,
      int missing) {}

  public static Scores score(List<Case> cases) {
    double rouge = 0;
    double bleu = 0;
    double baseRouge = 0;
    double baseBleu = 0;
    int missing = 0;
    for (Case c : cases) {
      String reference = SummaryScores.firstSentence(c.docstring());
      String baseline = SummaryScores.nameBaseline(c.name());
      baseRouge += SummaryScores.rougeL(baseline, reference);
      baseBleu += SummaryScores.bleu4(baseline, reference);
      if (c.modelSummary() == null || c.modelSummary().isBlank()) {
        missing++;
        continue;
      }
      rouge += SummaryScores.rougeL(c.modelSummary(), reference);
      bleu += SummaryScores.bleu4(c.modelSummary(), reference);
    }
    int n = cases.size();
    return n == 0
        ? new Scores(0, 0, 0, 0, 0, 0)
        : new Scores(n, rouge / n, bleu / n, baseRouge / n, baseBleu / n, missing);
  }
}
