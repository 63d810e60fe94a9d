package io.codegloss.dashboard;

import io.codegloss.core.config.Exposure;
import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard needs to know besides the database.
 *
 * @param port the port `codegloss dashboard` listens on when no --port is given
 * @param workerDeadSeconds a worker whose last heartbeat is older than this is shown dead and no
 *     longer counts as capacity
 * @param jobrunrDashboardUrl base of the JobRunr dashboard; job links are {@code
 *     <base>/dashboard/jobs/<id>}
 * @param refreshSeconds how often live updates are pushed to open pages
 * @param user basic-auth user, or null when the dashboard is open
 * @param password basic-auth password, or null when the dashboard is open; never logged
 * @param host {@value #HOST}: the address to bind; loopback unless the operator opts in
 * @param open {@value #OPEN}: serve a non-loopback bind without credentials
 * @param hostNames {@value #HOST_NAMES}: further names the Host header may carry (the name
 *     operators reach a network bind by); localhost, 127.0.0.1 and the host are always accepted
 */
public record DashboardSettings(
    int port,
    int workerDeadSeconds,
    String jobrunrDashboardUrl,
    int refreshSeconds,
    @Nullable String user,
    @Nullable String password,
    String host,
    boolean open,
    List<String> hostNames) {

  public static final String PORT = "CODEGLOSS_DASHBOARD_PORT";
  public static final String WORKER_DEAD_SECONDS = "CODEGLOSS_WORKER_DEAD_SECONDS";
  public static final String JOBRUNR_DASHBOARD_URL = "CODEGLOSS_JOBRUNR_DASHBOARD_URL";
  public static final String REFRESH_SECONDS = "CODEGLOSS_DASHBOARD_REFRESH_SECONDS";
  public static final String USER = "CODEGLOSS_DASHBOARD_USER";
  public static final String PASSWORD = "CODEGLOSS_DASHBOARD_PASSWORD";
  public static final String HOST = "CODEGLOSS_DASHBOARD_HOST";
  public static final String OPEN = "CODEGLOSS_DASHBOARD_OPEN";
  public static final String HOST_NAMES = "CODEGLOSS_DASHBOARD_HOST_NAMES";

  public static final int DEFAULT_PORT = 7070;
  public static final int DEFAULT_WORKER_DEAD_SECONDS = 45;
  public static final String DEFAULT_JOBRUNR_DASHBOARD_URL = "http://localhost:8000";
  public static final int DEFAULT_REFRESH_SECONDS = 2;

  /** The user name asked for when only a password is configured. */
  public static final String DEFAULT_USER = "codegloss";

  public DashboardSettings {
    if ((user == null) != (password == null)) {
      throw new ConfigException("dashboard basic auth needs both a user and a password");
    }
    Exposure.check(host, HOST, user, USER, password, PASSWORD, open, OPEN);
    hostNames = List.copyOf(hostNames);
    while (jobrunrDashboardUrl.endsWith("/")) {
      jobrunrDashboardUrl = jobrunrDashboardUrl.substring(0, jobrunrDashboardUrl.length() - 1);
    }
  }

  /** Bound to loopback, for tests and embedded use. */
  public DashboardSettings(
      int port,
      int workerDeadSeconds,
      String jobrunrDashboardUrl,
      int refreshSeconds,
      @Nullable String user,
      @Nullable String password) {
    this(
        port,
        workerDeadSeconds,
        jobrunrDashboardUrl,
        refreshSeconds,
        user,
        password,
        Exposure.LOOPBACK,
        false,
        List.of());
  }

  public static DashboardSettings from(Settings settings) {
    Optional<String> password = settings.optional(PASSWORD);
    Optional<String> user = settings.optional(USER);
    if (user.isPresent() && password.isEmpty()) {
      // An operator who named a user expects a locked door; refuse instead of serving it open.
      throw new ConfigException(USER + " is set but " + PASSWORD + " is not");
    }
    String url = settings.string(JOBRUNR_DASHBOARD_URL, DEFAULT_JOBRUNR_DASHBOARD_URL);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ConfigException(
          "invalid value '"
              + url
              + "' for "
              + JOBRUNR_DASHBOARD_URL
              + " (from "
              + settings.source(JOBRUNR_DASHBOARD_URL)
              + "): expected an http:// or https:// url");
    }
    return new DashboardSettings(
        settings.intValue(PORT, DEFAULT_PORT, 0, 65535),
        workerDeadSeconds(settings),
        url,
        settings.intValue(REFRESH_SECONDS, DEFAULT_REFRESH_SECONDS, 1, 300),
        password.map(p -> user.orElse(DEFAULT_USER)).orElse(null),
        password.orElse(null),
        settings.string(HOST, Exposure.LOOPBACK),
        settings.onOff(OPEN, false),
        Arrays.stream(settings.string(HOST_NAMES, "").split(","))
            .map(String::trim)
            .filter(n -> !n.isEmpty())
            .toList());
  }

  /**
   * {@value #WORKER_DEAD_SECONDS} alone: {@code status} shows live workers the way the dashboard
   * does, without needing the dashboard's other settings (its password) to be valid.
   */
  public static int workerDeadSeconds(Settings settings) {
    return settings.intValue(WORKER_DEAD_SECONDS, DEFAULT_WORKER_DEAD_SECONDS, 1, 86_400);
  }

  /** Defaults everywhere, no password: for tests and embedded use. */
  public static DashboardSettings defaults() {
    return new DashboardSettings(
        DEFAULT_PORT,
        DEFAULT_WORKER_DEAD_SECONDS,
        DEFAULT_JOBRUNR_DASHBOARD_URL,
        DEFAULT_REFRESH_SECONDS,
        null,
        null);
  }

  public boolean authRequired() {
    return password != null;
  }

  /** The JobRunr dashboard's page of one job. */
  public String jobUrl(Object jobId) {
    return jobrunrDashboardUrl + "/dashboard/jobs/" + jobId;
  }

  @Override
  public String toString() {
    return "DashboardSettings[host="
        + host
        + ", port="
        + port
        + ", workerDeadSeconds="
        + workerDeadSeconds
        + ", jobrunrDashboardUrl="
        + jobrunrDashboardUrl
        + ", refreshSeconds="
        + refreshSeconds
        + ", auth="
        + (authRequired() ? "basic" : "none")
        + "]";
  }
}
