package io.codegloss.dashboard.view;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The queue by repository, kind and state.
 *
 * @param maxLiveWorkerTokens the largest max_tokens among live running workers, null when none is
 *     alive (then nothing can be processed and {@code tooLarge} stays 0)
 */
public record QueueView(
    @Nullable Integer maxLiveWorkerTokens,
    StateCounts batch,
    StateCounts single,
    StateCounts all,
    List<RepoQueue> repositories) {}
