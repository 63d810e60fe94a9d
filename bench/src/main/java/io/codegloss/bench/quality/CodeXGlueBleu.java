package io.codegloss.bench.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Smoothed sentence BLEU-4 as CodeXGLUE's code-to-text evaluator computes it (its {@code bleu.py}:
 * {@code computeMaps} then {@code bleuFromMaps}), written from its description:
 *
 * <ol>
 *   <li>prediction and gold are stripped, lower-cased and split into runs of word characters and
 *       single other characters, joined by spaces ({@code splitPuncts});
 *   <li>each is normalised NIST-style ({@code normalize}: line joins, XML entities, a space on each
 *       side, lower case, punctuation split off, periods and commas split unless next to a digit, a
 *       dash split after a digit) and split on whitespace;
 *   <li>n-grams of order 1 to 4 are counted, the prediction's clipped by the gold's; the reference
 *       length is the shortest reference's;
 *   <li>log BLEU is the mean over the four orders of log((correct + s) / (guessed + s)), with s = 1
 *       for orders above 1 and 0 for unigrams (plus the smallest normal double in both, as Python's
 *       {@code sys.float_info.min}), plus the brevity penalty min(0, 1 - (reflen + 1) / (testlen +
 *       1)).
 * </ol>
 *
 * {@link #score} returns exp of that, between 0 and 1; CodeXGLUE reports it times 100, averaged
 * over the examples.
 */
public final class CodeXGlueBleu {

  private static final int N = 4;
  private static final double TINY = Double.MIN_NORMAL;

  private static final Pattern SPLIT_PUNCTS =
      Pattern.compile("[\\p{L}\\p{N}_]+|[^\\s\\p{L}\\p{N}_]", Pattern.UNICODE_CHARACTER_CLASS);

  /** NIST mteval punctuation: {|}~ [\]^_` space!"#$%& ()*+ :;<=>?@ / (not the apostrophe). */
  private static final Pattern PUNCT = Pattern.compile("([{-~\\[-` -&(-+:-@/])");

  private static final Pattern PERIOD_AFTER = Pattern.compile("([^0-9])([.,])");
  private static final Pattern PERIOD_BEFORE = Pattern.compile("([.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  private CodeXGlueBleu() {}

  /** Smoothed BLEU-4 of {@code prediction} against one {@code gold}, in [0, 1]. */
  public static double score(String prediction, String gold) {
    return score(prediction, List.of(gold));
  }

  /** Against several references of the same example (the shortest one sets the length). */
  public static double score(String prediction, List<String> golds) {
    List<String> test = normalize(splitPuncts(prediction.strip().toLowerCase(Locale.ROOT)));
    Map<List<String>, Integer> maxRef = new HashMap<>();
    int refLen = Integer.MAX_VALUE;
    for (String g : golds) {
      List<String> ref = normalize(splitPuncts(g.strip().toLowerCase(Locale.ROOT)));
      refLen = Math.min(refLen, ref.size());
      ngrams(ref).forEach((k, v) -> maxRef.merge(k, v, Math::max));
    }
    int[] guess = new int[N];
    int[] correct = new int[N];
    for (int k = 1; k <= N; k++) {
      guess[k - 1] = Math.max(test.size() - k + 1, 0);
    }
    ngrams(test)
        .forEach((g, count) -> correct[g.size() - 1] += Math.min(maxRef.getOrDefault(g, 0), count));
    double logBleu = 0;
    for (int k = 0; k < N; k++) {
      int add = k > 0 ? 1 : 0;
      logBleu += Math.log(correct[k] + add + TINY) - Math.log(guess[k] + add + TINY);
    }
    logBleu /= N;
    double brevity = Math.min(0, 1 - (double) (refLen + 1) / (test.size() + 1));
    return Math.exp(logBleu + brevity);
  }

  /** Word-character runs and single other characters, joined by single spaces. */
  static String splitPuncts(String line) {
    List<String> parts = new ArrayList<>();
    Matcher m = SPLIT_PUNCTS.matcher(line);
    while (m.find()) {
      parts.add(m.group());
    }
    return String.join(" ", parts);
  }

  /** NIST mteval-v11a normalisation (case folded) and whitespace tokenisation. */
  static List<String> normalize(String s) {
    String t = s.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    t = t.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    t = " " + t + " ";
    t = t.toLowerCase(Locale.ROOT);
    t = PUNCT.matcher(t).replaceAll(" $1 ");
    t = PERIOD_AFTER.matcher(t).replaceAll("$1 $2 ");
    t = PERIOD_BEFORE.matcher(t).replaceAll(" $1 $2");
    t = DASH_AFTER_DIGIT.matcher(t).replaceAll("$1 $2 ");
    List<String> out = new ArrayList<>();
    for (String w : t.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  static Map<List<String>, Integer> ngrams(List<String> words) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int k = 1; k <= N; k++) {
      for (int i = 0; i + k <= words.size(); i++) {
        counts.merge(List.copyOf(words.subList(i, i + k)), 1, Integer::sum);
      }
    }
    return counts;
  }
}
