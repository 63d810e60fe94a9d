package io.codegloss.core.queue;

import io.codegloss.core.config.Settings;

/**
 * JobRunr's timing, which every server of one deployment (scheduler and workers) must share: a
 * server silent for {@code pollSeconds * timeoutMultiplicand} is dead and its jobs are retried
 * elsewhere, up to {@code retries} times.
 *
 * @param pollSeconds {@value #POLL_SECONDS}, default 5 (JobRunr's minimum)
 * @param timeoutMultiplicand {@value #TIMEOUT_MULTIPLICAND}, default 12
 * @param retries {@value #JOB_RETRIES}, default 3
 */
public record QueueTiming(int pollSeconds, int timeoutMultiplicand, int retries) {

  public static final String POLL_SECONDS = "CODEGLOSS_POLL_SECONDS";
  public static final String TIMEOUT_MULTIPLICAND = "CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND";
  public static final String JOB_RETRIES = "CODEGLOSS_JOB_RETRIES";

  public static QueueTiming from(Settings s) {
    return new QueueTiming(
        s.intValue(POLL_SECONDS, 5, 5, 3600),
        s.intValue(TIMEOUT_MULTIPLICAND, 12, 4, 1000),
        s.intValue(JOB_RETRIES, 3, 0, 20));
  }
}
