package io.codegloss.dashboard.view;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The queue by repository, kind and state.
 *
 * @param maxLiveWorkerTokens the largest max_tokens among live running workers, null when none is
 *     alive (then nothing can be processed and {@code tooLarge} stays 0)
 * @param spanCountsAsOf when the repositories' span counts were read (they may be a few seconds
 *     older than the job counts on a large database; see {@link SlowRead})
 */
public record QueueView(
    @Nullable Integer maxLiveWorkerTokens,
    StateCounts batch,
    StateCounts single,
    StateCounts all,
    List<RepoQueue> repositories,
    Instant spanCountsAsOf) {}
