package io.codegloss.bench;

import java.util.List;

/**
 * Splits LLM time into prefill and decode without instrumenting the model: a least-squares fit of
 * {@code wall_ms = fixed + perPrompt * prompt_tokens + perCompletion * completion_tokens} over
 * every call of the same model. On a CPU both per-token costs are stable, so the fit is a good
 * account of where a call's time goes.
 *
 * @param fixedMs per call: HTTP/JNI round trip, sampling set-up, grammar compilation
 * @param msPerPromptToken prefill cost of one prompt token
 * @param msPerCompletionToken decode cost of one generated token
 * @param calls how many calls the fit saw
 */
record TimeModel(double fixedMs, double msPerPromptToken, double msPerCompletionToken, int calls) {

  static final TimeModel NONE = new TimeModel(0, 0, 0, 0);

  boolean usable() {
    return calls >= 3 && (msPerPromptToken > 0 || msPerCompletionToken > 0);
  }

  static TimeModel fit(List<Measure.CallRow> calls) {
    double[][] a = new double[3][4];
    int n = 0;
    for (Measure.CallRow c : calls) {
      if (c.promptTokens() <= 0 || c.completionTokens() <= 0) {
        continue; // failed calls tell nothing about per-token cost
      }
      double[] x = {1, c.promptTokens(), c.completionTokens()};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          a[i][j] += x[i] * x[j];
        }
        a[i][3] += x[i] * c.wallMillis();
      }
      n++;
    }
    if (n < 3) {
      return NONE;
    }
    double[] beta = solve(a);
    if (beta == null || beta[1] < 0 || beta[2] < 0 || beta[0] < 0) {
      // Without a free intercept (all prompts alike, say): fit the two per-token costs alone.
      double[][] b = new double[2][3];
      for (Measure.CallRow c : calls) {
        if (c.promptTokens() <= 0 || c.completionTokens() <= 0) {
          continue;
        }
        double[] x = {c.promptTokens(), c.completionTokens()};
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 2; j++) {
            b[i][j] += x[i] * x[j];
          }
          b[i][2] += x[i] * c.wallMillis();
        }
      }
      double[] two = solve(b);
      if (two == null || two[0] < 0 || two[1] < 0) {
        return NONE;
      }
      return new TimeModel(0, two[0], two[1], n);
    }
    return new TimeModel(beta[0], beta[1], beta[2], n);
  }

  /** Gaussian elimination with partial pivoting on an augmented matrix; null when singular. */
  static double[] solve(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      if (Math.abs(a[pivot][col]) < 1e-9) {
        return null;
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int k = col; k <= n; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
