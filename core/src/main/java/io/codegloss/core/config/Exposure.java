package io.codegloss.core.config;

import io.codegloss.core.error.ConfigException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one rule both dashboards follow before binding: loopback by default, and a server reachable
 * from the network only with credentials unless the operator explicitly asked for it open. Checked
 * when settings are read, so a bad combination fails the command (exit 2) before anything listens.
 */
public final class Exposure {

  /** The bind address when none is configured: only this machine can connect. */
  public static final String LOOPBACK = "127.0.0.1";

  private Exposure() {}

  /** Whether {@code host} only accepts connections from this machine. */
  public static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  /**
   * Refuses half-set credentials (an operator who set one expects a locked door) and a non-loopback
   * bind without credentials unless {@code open}.
   */
  public static void check(
      String host,
      String hostSetting,
      @Nullable String user,
      String userSetting,
      @Nullable String password,
      String passwordSetting,
      boolean open,
      String openSetting) {
    if (user != null && password == null) {
      throw new ConfigException(userSetting + " is set but " + passwordSetting + " is not");
    }
    if (password != null && user == null) {
      throw new ConfigException(passwordSetting + " is set but " + userSetting + " is not");
    }
    if (!isLoopback(host) && password == null && !open) {
      throw new ConfigException(
          "refusing to serve without credentials on "
              + host
              + " ("
              + hostSetting
              + "): set "
              + userSetting
              + " and "
              + passwordSetting
              + ", or "
              + openSetting
              + "=on to serve it open");
    }
  }
}
