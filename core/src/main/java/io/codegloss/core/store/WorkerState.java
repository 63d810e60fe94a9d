package io.codegloss.core.store;

import java.util.Locale;

/**
 * A worker's own word for itself in {@code workers.state}; whether it is alive is read from its
 * heartbeat.
 */
public enum WorkerState {
  RUNNING,
  DRAINING,
  STOPPED;

  /** The lower-case word stored in the database and printed in JSON. */
  public String db() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WorkerState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
