package io.codegloss.dashboard.view;

import java.util.List;

/** Per-minute throughput of one worker running one model, one point per minute of the window. */
public record ThroughputSeries(
    String worker, String model, long spans, long tokens, List<ThroughputPoint> points) {}
