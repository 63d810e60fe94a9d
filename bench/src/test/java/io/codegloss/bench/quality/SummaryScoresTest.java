package io.codegloss.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryScoresTest {

  @Test
  void rougeLIsTheF1OfTheLongestCommonWordSubsequence() {
    // LCS "the sum of" = 3; P = 3/6, R = 3/7; F1 = 2PR/(P+R) = 6/13
    assertThat(SummaryScores.rougeL("Returns the sum of two numbers", "Return the sum of a and b"))
        .isCloseTo(6.0 / 13, within(1e-12));
  }

  @Test
  void rougeLIgnoresCaseAndPunctuationAndIsZeroForNothingShared() {
    assertThat(SummaryScores.rougeL("Read THE file.", "read the file")).isEqualTo(1.0);
    assertThat(SummaryScores.rougeL("alpha beta", "gamma")).isZero();
    assertThat(SummaryScores.rougeL("", "gamma")).isZero();
  }

  @Test
  void rougeLCountsASubsequenceNotASubstring() {
    // LCS "a c e" = 3 of 5 and 3 of 3: P = 0.6, R = 1, F1 = 0.75
    assertThat(SummaryScores.rougeL("a b c d e", "a c e")).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void bleuSmoothsOrdersAboveOneAndAppliesTheBrevityPenalty() {
    // 1-grams 3/6, 2-grams (2+1)/(5+1), 3-grams (1+1)/(4+1), 4-grams (0+1)/(3+1);
    // geometric mean (0.5 * 0.5 * 0.4 * 0.25)^(1/4); brevity exp(1 - (7+1)/(6+1))
    double expected = Math.pow(0.5 * 0.5 * 0.4 * 0.25, 0.25) * Math.exp(1 - 8.0 / 7);
    assertThat(SummaryScores.bleu4("Returns the sum of two numbers", "Return the sum of a and b"))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void bleuOfAnIdenticalSentenceIsOne() {
    assertThat(CodeXGlueBleu.score("Read the file.", "read the file."))
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void bleuOfAnEmptyPredictionIsOnlyTheBrevityPenaltyAsInCodeXGlue() {
    // every order scores log(s/s) = 0; brevity 1 - (4+1)/(0+1) = -4
    assertThat(CodeXGlueBleu.score("", "Read the file.")).isCloseTo(Math.exp(-4), within(1e-12));
  }

  @Test
  void bleuWithoutASharedUnigramIsPracticallyZero() {
    // log(0 + the smallest normal double) / 4 dominates: about 1e-77, as in Python
    assertThat(CodeXGlueBleu.score("alpha beta gamma delta", "one two three four"))
        .isPositive()
        .isLessThan(1e-70);
  }

  @Test
  void tokenisesLikeSplitPunctsThenTheNistNormalisation() {
    assertThat(
            CodeXGlueBleu.normalize(
                CodeXGlueBleu.splitPuncts("parse the header, e.g. 'x-1'.".toLowerCase())))
        .containsExactly(
            "parse", "the", "header", ",", "e", ".", "g", ".", "'", "x", "-", "1", "'", ".");
    assertThat(CodeXGlueBleu.normalize("a&amp;b 3.5 snake_case"))
        .containsExactly("a", "&", "b", "3.5", "snake", "_", "case");
  }

  @Test
  void theShortestReferenceSetsTheLength() {
    // with the 3-word reference the 3-word prediction has no brevity penalty
    assertThat(
            CodeXGlueBleu.score("read the file", List.of("read the file", "read all of the file")))
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void theReferenceIsTheDocstringsFirstSentence() {
    assertThat(
            SummaryScores.firstSentence(
                "Return the value, e.g. a number.\n    It is cached.\n\n    Args:\n  x"))
        .isEqualTo("Return the value, e.g. a number.");
    assertThat(SummaryScores.firstSentence("Return the\n    value of x\n\nMore."))
        .isEqualTo("Return the value of x");
    assertThat(SummaryScores.firstSentence("Version 1.2 of the format. Then"))
        .isEqualTo("Version 1.2 of the format.");
  }

  @Test
  void theBaselineIsTheNamesWords() {
    assertThat(SummaryScores.nameBaseline("read_config")).isEqualTo("read config");
    assertThat(SummaryScores.nameBaseline("parseHTTPHeader")).isEqualTo("parse http header");
    assertThat(SummaryScores.nameBaseline("__init__")).isEqualTo("init");
  }
}
