/**
 * Repository indexing: {@code codegloss index PATH}, {@code status} and {@code spans}.
 *
 * <p>{@link io.codegloss.scheduler.index.Indexer} walks a repository ({@code walk}: .gitignore
 * rules, default excludes, secrets and size limits, no symbolic links followed), skips unchanged
 * files by size and mtime and then by content hash, parses the rest on several threads with
 * tree-sitter and a tags-style query per language ({@code extract}, queries under {@code
 * resources/io/codegloss/scheduler/index/queries}), and writes each file with its spans in one
 * transaction. {@link io.codegloss.scheduler.index.SpanDiff} keeps the row (and so the enrichment)
 * of unchanged code wherever it moved, even into a renamed file. {@link
 * io.codegloss.scheduler.index.RepoQueries} is the read side.
 */
@NullMarked
package io.codegloss.scheduler.index;

import org.jspecify.annotations.NullMarked;
