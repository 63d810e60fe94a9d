package io.codegloss.bench.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores of a generated summary against a reference (a docstring's first sentence): ROUGE-L F1 and
 * CodeXGLUE's smoothed BLEU-4 ({@link CodeXGlueBleu}), plus the two texts they are computed from:
 * the reference and the name-words baseline any summary must beat.
 */
public final class SummaryScores {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s|$)");

  private SummaryScores() {}

  /** Lower-cased runs of letters and digits. */
  public static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /**
   * ROUGE-L F1: the longest common subsequence of the two word lists, P = LCS / |candidate|, R =
   * LCS / |reference|, F1 = 2PR / (P + R); 0 when either is empty or nothing is shared.
   */
  public static double rougeL(String candidate, String reference) {
    List<String> c = words(candidate);
    List<String> r = words(reference);
    if (c.isEmpty() || r.isEmpty()) {
      return 0;
    }
    int[][] lcs = new int[c.size() + 1][r.size() + 1];
    for (int i = 1; i <= c.size(); i++) {
      for (int j = 1; j <= r.size(); j++) {
        lcs[i][j] =
            c.get(i - 1).equals(r.get(j - 1))
                ? lcs[i - 1][j - 1] + 1
                : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
      }
    }
    int l = lcs[c.size()][r.size()];
    if (l == 0) {
      return 0;
    }
    double p = (double) l / c.size();
    double rec = (double) l / r.size();
    return 2 * p * rec / (p + rec);
  }

  /** CodeXGLUE's smoothed sentence BLEU-4, in [0, 1]. */
  public static double bleu4(String candidate, String reference) {
    return CodeXGlueBleu.score(candidate, reference);
  }

  /**
   * The reference a summary is scored against: the docstring's first paragraph joined into one
   * line, up to the end of its first sentence (a period, ! or ? followed by white space or the
   * end).
   */
  public static String firstSentence(String docstring) {
    String para = docstring.strip().split("\\n\\s*\\n", 2)[0];
    String line = para.replaceAll("\\s+", " ").strip();
    Matcher m = SENTENCE_END.matcher(line);
    while (m.find()) {
      String before = line.substring(0, m.start());
      String last = before.replaceAll("^.*\\s", "").toLowerCase(Locale.ROOT);
      if (last.equals("e.g") || last.equals("i.e") || last.equals("etc")) {
        continue;
      }
      return line.substring(0, m.end());
    }
    return line;
  }

  /** The baseline summary: the name's words, camelCase and snake_case split, lower-cased. */
  public static String nameBaseline(String name) {
    String split =
        name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
            .replaceAll("[_\\W]+", " ");
    return split.strip().toLowerCase(Locale.ROOT);
  }
}
