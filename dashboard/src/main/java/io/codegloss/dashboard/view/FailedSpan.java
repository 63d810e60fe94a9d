package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A span with a recorded failure; {@code jobId} is the latest job that carried it. */
public record FailedSpan(
    long spanId,
    String repository,
    String path,
    String symbol,
    int startLine,
    int endLine,
    int attempts,
    String error,
    boolean permanent,
    Instant nextAttemptAt,
    Instant updatedAt,
    @Nullable UUID jobId,
    @Nullable String jobUrl) {}
