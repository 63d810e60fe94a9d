package io.codegloss.scheduler.index.walk;

import org.jspecify.annotations.Nullable;

/**
 * A file the indexer saw and deliberately left out.
 *
 * @param path relative to the repository root, '/' separated (directories end with '/')
 * @param reason one of {@link SkipReason}'s database names
 * @param detail a short human explanation, never file content
 */
public record SkippedFile(String path, String reason, @Nullable String detail) {

  public static SkippedFile of(String path, SkipReason reason, @Nullable String detail) {
    return new SkippedFile(path, reason.dbName(), detail);
  }
}
