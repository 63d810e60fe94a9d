package io.codegloss.scheduler.index.walk;

import io.codegloss.scheduler.index.extract.Language;
import java.nio.file.Path;

/**
 * A file the walker will hand to the indexer.
 *
 * @param path relative to the repository root, '/' separated
 * @param absolute where to read it
 * @param mtimeMs last modification, milliseconds since the epoch
 */
public record SourceFile(String path, Path absolute, Language language, long size, long mtimeMs) {}
