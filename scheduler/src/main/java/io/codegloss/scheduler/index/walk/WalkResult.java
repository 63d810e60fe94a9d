package io.codegloss.scheduler.index.walk;

import java.util.List;

/**
 * What one walk of a repository found.
 *
 * @param files source files in a language codegloss indexes, in path order
 * @param skipped files left out on purpose, with the reason
 * @param otherFiles files that are neither ignored nor in an indexed language (docs, data...)
 * @param directories the folders walked (not ignored, not excluded), "" for the root; what a
 *     watcher registers
 */
public record WalkResult(
    List<SourceFile> files, List<SkippedFile> skipped, int otherFiles, List<String> directories) {}
