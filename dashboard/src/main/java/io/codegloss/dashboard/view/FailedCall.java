package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An LLM call whose outcome was not ok. */
public record FailedCall(
    long id,
    Instant at,
    @Nullable UUID jobId,
    @Nullable String jobUrl,
    String worker,
    String backend,
    String model,
    String mode,
    int spanCount,
    int itemsValid,
    String outcome,
    @Nullable String error) {}
