package io.codegloss.core.thread;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of background helpers (heartbeats, tickers, listeners): daemons, so that a process ends
 * when its main work ends instead of looking alive, and named, so that a thread dump says whose
 * thread it is.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads that all carry {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
