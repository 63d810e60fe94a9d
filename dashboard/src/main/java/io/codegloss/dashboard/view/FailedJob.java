package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A job in state failed. */
public record FailedJob(
    UUID jobId,
    String jobUrl,
    String repository,
    String kind,
    int tokens,
    int attempts,
    @Nullable String error,
    @Nullable String worker,
    Instant updatedAt) {}
