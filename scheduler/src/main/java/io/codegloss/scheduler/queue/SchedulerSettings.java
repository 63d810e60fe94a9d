package io.codegloss.scheduler.queue;

import io.codegloss.core.config.Exposure;
import io.codegloss.core.config.Settings;
import io.codegloss.core.queue.QueueTiming;
import io.codegloss.core.store.RetryPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Everything the scheduler process reads from the settings besides planning ({@link
 * io.codegloss.scheduler.plan.PlanSettings}) and indexing ({@link
 * io.codegloss.scheduler.index.IndexSettings}), resolved once by its command.
 *
 * @param interval {@value #INTERVAL_SECONDS}: seconds between planning and sweeping rounds
 * @param jobrunrPort {@value #JOBRUNR_PORT}: the JobRunr dashboard's port, 0 for none
 * @param dashboardUser {@value #DASHBOARD_USER}: basic auth of the JobRunr dashboard, or null
 * @param dashboardPassword {@value #DASHBOARD_PASSWORD}, or null; never logged
 * @param jobrunrHost {@value #JOBRUNR_HOST}: the address the JobRunr dashboard binds
 * @param jobrunrOpen {@value #JOBRUNR_DASHBOARD_OPEN}: serve a non-loopback bind without
 *     credentials
 * @param timing JobRunr's timing, shared with the workers
 * @param lostJobSeconds {@value #LOST_JOB_SECONDS}: a job row JobRunr never received is submitted
 *     again after this
 * @param retry backoff of failed spans, for the sweeper
 * @param watch {@value #WATCH}: re-index a repository as soon as its files change
 */
public record SchedulerSettings(
    Duration interval,
    int jobrunrPort,
    @Nullable String dashboardUser,
    @Nullable String dashboardPassword,
    String jobrunrHost,
    boolean jobrunrOpen,
    QueueTiming timing,
    int lostJobSeconds,
    RetryPolicy retry,
    boolean watch) {

  public SchedulerSettings {
    Exposure.check(
        jobrunrHost,
        JOBRUNR_HOST,
        dashboardUser,
        DASHBOARD_USER,
        dashboardPassword,
        DASHBOARD_PASSWORD,
        jobrunrOpen || jobrunrPort == 0,
        JOBRUNR_DASHBOARD_OPEN);
  }

  public static final String INTERVAL_SECONDS = "CODEGLOSS_SCHEDULER_INTERVAL_SECONDS";
  public static final String JOBRUNR_PORT = "CODEGLOSS_JOBRUNR_PORT";
  public static final String DASHBOARD_USER = "CODEGLOSS_JOBRUNR_DASHBOARD_USER";
  public static final String DASHBOARD_PASSWORD = "CODEGLOSS_JOBRUNR_DASHBOARD_PASSWORD";
  public static final String JOBRUNR_HOST = "CODEGLOSS_JOBRUNR_HOST";
  public static final String JOBRUNR_DASHBOARD_OPEN = "CODEGLOSS_JOBRUNR_DASHBOARD_OPEN";
  public static final String LOST_JOB_SECONDS = "CODEGLOSS_LOST_JOB_SECONDS";
  public static final String WATCH = "CODEGLOSS_SCHEDULER_WATCH";

  public static final int DEFAULT_INTERVAL_SECONDS = 30;
  public static final int DEFAULT_JOBRUNR_PORT = 8000;

  public static SchedulerSettings from(Settings s) {
    return from(s, DEFAULT_INTERVAL_SECONDS);
  }

  /** As {@link #from(Settings)} with another default interval ({@code up} re-plans every 5 s). */
  public static SchedulerSettings from(Settings s, int defaultIntervalSeconds) {
    return new SchedulerSettings(
        Duration.ofSeconds(s.intValue(INTERVAL_SECONDS, defaultIntervalSeconds, 1, 86_400)),
        s.intValue(JOBRUNR_PORT, DEFAULT_JOBRUNR_PORT, 0, 65_535),
        s.optional(DASHBOARD_USER).orElse(null),
        s.optional(DASHBOARD_PASSWORD).orElse(null),
        s.string(JOBRUNR_HOST, Exposure.LOOPBACK),
        s.onOff(JOBRUNR_DASHBOARD_OPEN, false),
        QueueTiming.from(s),
        s.intValue(LOST_JOB_SECONDS, 120, 10, 86_400),
        RetryPolicy.fromSettings(s),
        s.onOff(WATCH, true));
  }

  /** The same settings with the JobRunr dashboard on {@code port} (0: none). */
  public SchedulerSettings withJobrunrPort(int port) {
    return new SchedulerSettings(
        interval,
        port,
        dashboardUser,
        dashboardPassword,
        jobrunrHost,
        jobrunrOpen,
        timing,
        lostJobSeconds,
        retry,
        watch);
  }

  /** What {@link SchedulerProcess} takes. */
  public SchedulerProcess.Options options() {
    return new SchedulerProcess.Options(
        interval,
        jobrunrPort,
        dashboardUser,
        dashboardPassword,
        timing.pollSeconds(),
        timing.timeoutMultiplicand(),
        timing.retries(),
        jobrunrHost,
        watch);
  }

  @Override
  public String toString() {
    return "SchedulerSettings[interval="
        + interval
        + ", jobrunrHost="
        + jobrunrHost
        + ", jobrunrPort="
        + jobrunrPort
        + ", dashboardAuth="
        + (dashboardPassword == null ? "none" : "basic")
        + ", timing="
        + timing
        + ", lostJobSeconds="
        + lostJobSeconds
        + ", retry="
        + retry
        + ", watch="
        + watch
        + "]";
  }
}
