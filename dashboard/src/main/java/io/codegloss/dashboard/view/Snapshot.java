package io.codegloss.dashboard.view;

/** Everything the page shows, read in one consistent transaction; what /api/events pushes. */
public record Snapshot(
    Summary summary,
    QueueView queue,
    Throughput throughput,
    WorkersView workers,
    Savings savings,
    Failures failures) {}
