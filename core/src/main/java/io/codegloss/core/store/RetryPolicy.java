package io.codegloss.core.store;

import io.codegloss.core.config.Settings;
import java.time.Duration;

/**
 * Backoff for failed spans: attempt n waits {@code base * 2^(n-1)}, at most {@code max} (computed
 * in SQL by {@link SpanFailureTable#record}, where the attempts are counted); after {@code
 * maxAttempts} failures of the same code the failure is permanent (until the code changes).
 *
 * <p>Settings: {@code CODEGLOSS_RETRY_BASE_SECONDS} (30), {@code CODEGLOSS_RETRY_MAX_SECONDS}
 * (21600, six hours), {@code CODEGLOSS_RETRY_MAX_ATTEMPTS} (8).
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts) {

  public static final String BASE_SECONDS = "CODEGLOSS_RETRY_BASE_SECONDS";
  public static final String MAX_SECONDS = "CODEGLOSS_RETRY_MAX_SECONDS";
  public static final String MAX_ATTEMPTS = "CODEGLOSS_RETRY_MAX_ATTEMPTS";

  public RetryPolicy {
    if (base.isNegative() || max.compareTo(base) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "invalid retry policy " + base + " " + max + " " + maxAttempts);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(6), 8);
  }

  public static RetryPolicy fromSettings(Settings settings) {
    int base = settings.intValue(BASE_SECONDS, 30, 0, 86_400);
    int max = settings.intValue(MAX_SECONDS, 21_600, Math.max(base, 1), 30 * 86_400);
    int attempts = settings.intValue(MAX_ATTEMPTS, 8, 1, 1_000);
    return new RetryPolicy(Duration.ofSeconds(base), Duration.ofSeconds(max), attempts);
  }
}
