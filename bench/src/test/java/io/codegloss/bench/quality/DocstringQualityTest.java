package io.codegloss.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocstringQualityTest {

  @Test
  void averagesOverEverySpanWithADocstringAndAMissingProseScoresZero() {
    DocstringQuality.Scores s =
        DocstringQuality.score(
            List.of(
                // reference "Return the value." (first sentence): the prose is exact
                new DocstringQuality.Case(
                    "get_value", "Return the value.\n\n    More text.", "Return the value."),
                // no model prose: 0 for the model, counted as missing, but the baseline is scored
                new DocstringQuality.Case("f", "Compute things.", null)));

    assertThat(s.spans()).isEqualTo(2);
    assertThat(s.missing()).isEqualTo(1);
    // ROUGE-L: (1 + 0) / 2
    assertThat(s.rougeL()).isCloseTo(0.5, within(1e-9));
    // BLEU-4 of an exact match is 1 (no brevity penalty): (1 + 0) / 2
    assertThat(s.bleu4()).isCloseTo(0.5, within(1e-9));
    // baseline "get value" vs "return the value": LCS 1, P = 1/2, R = 1/3, F1 = 0.4; "f": 0
    assertThat(s.baselineRougeL()).isCloseTo(0.2, within(1e-9));
    // "get value" vs "return the value .": unigram 1/2, bigram (0+1)/(1+1), 3- and 4-grams
    // (0+1)/(0+1); geometric mean sqrt(1/2); brevity exp(1 - 5/3); "f" shares nothing: ~0
    assertThat(s.baselineBleu4()).isCloseTo(Math.sqrt(0.5) * Math.exp(-2.0 / 3) / 2, within(1e-9));
  }

  @Test
  void aBlankProseIsMissingAndNoSpansScoreZero() {
    DocstringQuality.Scores s =
        DocstringQuality.score(List.of(new DocstringQuality.Case("read", "Read it.", "  ")));
    assertThat(s.missing()).isEqualTo(1);
    assertThat(s.rougeL()).isZero();

    assertThat(DocstringQuality.score(List.of()))
        .isEqualTo(new DocstringQuality.Scores(0, 0, 0, 0, 0, 0));
  }
}
