package io.codegloss.scheduler.index.walk;

import java.util.Locale;

/** Why the indexer deliberately left a file out; stored in skipped_files.reason. */
public enum SkipReason {
  /** The name or content looks like keys, passwords or tokens; never read into the index. */
  SECRET,
  /** Larger than CODEGLOSS_MAX_FILE_BYTES. */
  TOO_LARGE,
  /** Contains NUL bytes. */
  BINARY,
  /** The file system refused to list or read it. */
  UNREADABLE,
  /** A symbolic link; links are never followed, their targets are indexed where they live. */
  SYMLINK,
  /** The parser gave up on it (for example it ran past the parse time limit). */
  PARSE_FAILED;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
