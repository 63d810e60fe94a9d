package io.codegloss.dashboard.view;

import java.util.List;

/**
 * Workers heard from within the last {@code forgetAfterSeconds}; older ones are left out.
 *
 * @param deadAfterSeconds CODEGLOSS_WORKER_DEAD_SECONDS
 */
public record WorkersView(int deadAfterSeconds, int forgetAfterSeconds, List<WorkerView> workers) {}
