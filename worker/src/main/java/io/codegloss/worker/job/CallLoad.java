package io.codegloss.worker.job;

/** What a worker's heartbeat tells of its calls to the model ({@link ModelCallGate}). */
public interface CallLoad {

  /** A handler without a model (tools, tests): nothing in flight, never busy. */
  CallLoad NONE =
      new CallLoad() {
        @Override
        public int inFlight() {
          return 0;
        }

        @Override
        public int busyPercentSinceLastAsked() {
          return 0;
        }
      };

  /** Calls to the model in flight now. */
  int inFlight();

  /**
   * The share of the call slots in use since this was last asked (since the gate was made, the
   * first time), in percent, 0-100: the heartbeat's average where {@link #inFlight} is one instant.
   */
  int busyPercentSinceLastAsked();
}
