package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.List;

/**
 * Throughput in per-minute buckets over the last {@code minutes} minutes (the current minute last).
 */
public record Throughput(
    int minutes,
    int bucketSeconds,
    Instant from,
    Instant to,
    List<ThroughputPoint> overall,
    List<ThroughputSeries> series) {}
