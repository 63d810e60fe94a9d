package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A worker as the operator sees it.
 *
 * @param alive heartbeat within the dead threshold and not stopped
 * @param status "alive", "draining", "dead" or "stopped"
 * @param currentJobs jobs it runs, including those ahead of the model (preparing, waiting for a
 *     call or storing)
 * @param currentCalls of those, the calls to its model in flight, out of {@code concurrency}
 * @param callsBusyPercent the share of its call slots in use between its last two heartbeats, or
 *     null before its first heartbeat from a version that reports it
 * @param processingJobs ids of jobs this worker holds in state processing (at most 10)
 */
public record WorkerView(
    String name,
    String host,
    int maxTokens,
    int concurrency,
    String backend,
    String model,
    String version,
    String state,
    int currentJobs,
    int currentCalls,
    @Nullable Integer callsBusyPercent,
    List<UUID> processingJobs,
    Instant startedAt,
    Instant lastHeartbeat,
    long secondsSinceHeartbeat,
    boolean alive,
    String status) {}
