package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.store.FileTable;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.core.store.SpanTable;
import io.codegloss.scheduler.index.RepoStatus.LanguageKindCount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the index: what {@code status} and {@code spans} show.
 *
 * <p>A span is <em>pending</em> while it has no current note, as the {@code span_state} view
 * decides ({@link SpanStates}).
 */
public final class RepoQueries {

  private final Database db;

  public RepoQueries(Database db) {
    this.db = db;
  }

  /** Every repository in the database, by root path. */
  public List<RepoStatus> status() {
    return db.withConnection(
        c -> {
          Map<Long, List<LanguageKindCount>> counts = new HashMap<>();
          for (SpanStates.LanguageKind lk : SpanStates.byLanguageAndKind(c)) {
            counts
                .computeIfAbsent(lk.repoId(), k -> new ArrayList<>())
                .add(
                    new LanguageKindCount(
                        lk.language(),
                        lk.kind(),
                        lk.spans(),
                        lk.notEnriched(),
                        lk.enriched(),
                        lk.factsOnly(),
                        lk.failed(),
                        lk.notIndexed()));
          }
          List<RepoStatus> result = new ArrayList<>();
          for (RepositoryTable.Row r : RepositoryTable.all(c)) {
            List<LanguageKindCount> lk = counts.getOrDefault(r.id(), List.of());
            FileTable.Counts files = FileTable.counts(c, r.id());
            result.add(
                new RepoStatus(
                    r.id(),
                    r.rootPath(),
                    r.name(),
                    r.generation(),
                    r.lastIndexedAt(),
                    files.files(),
                    files.skipped(),
                    lk.stream().mapToLong(LanguageKindCount::spans).sum(),
                    lk.stream().mapToLong(LanguageKindCount::pending).sum(),
                    lk.stream().mapToLong(LanguageKindCount::enriched).sum(),
                    lk.stream().mapToLong(LanguageKindCount::factsOnly).sum(),
                    lk.stream().mapToLong(LanguageKindCount::proseFailed).sum(),
                    lk.stream().mapToLong(LanguageKindCount::notIndexed).sum(),
                    lk));
          }
          return result;
        });
  }

  /**
   * The spans of the repository that contains {@code repoRoot} (any path inside it will do), or of
   * one of its files, in file and line order.
   *
   * @param file absolute, relative to {@code repoRoot} (a sub-folder such as the current
   *     directory), or relative to the repository root; null for the whole repository
   * @throws PermanentException when no indexed repository contains {@code repoRoot}
   */
  public List<SpanInfo> spans(Path repoRoot, @Nullable String file) {
    long repoId =
        repoIdFor(repoRoot)
            .orElseThrow(
                () ->
                    new PermanentException(
                        "no indexed repository contains "
                            + repoRoot.toAbsolutePath().normalize()
                            + "; run: codegloss index PATH"));
    String relative = file == null ? null : relativePath(repoId, repoRoot, file);
    return db.withConnection(c -> SpanTable.list(c, repoId, relative)).stream()
        .map(
            s ->
                new SpanInfo(
                    s.id(),
                    s.path(),
                    s.language(),
                    s.symbol(),
                    s.kind(),
                    s.startLine(),
                    s.endLine(),
                    s.tokenEstimate(),
                    s.hash(),
                    s.state()))
        .toList();
  }

  /** The indexed repository whose root is the nearest ancestor of (or equal to) {@code path}. */
  public Optional<Long> repoIdFor(Path anyPathInside) {
    Path p = canonical(anyPathInside);
    return db.withConnection(
        c -> {
          Long best = null;
          int bestDepth = -1;
          for (RepositoryTable.Row r : RepositoryTable.all(c)) {
            Path root = Path.of(r.rootPath());
            if (p.startsWith(root) && root.getNameCount() > bestDepth) {
              best = r.id();
              bestDepth = root.getNameCount();
            }
          }
          return Optional.ofNullable(best);
        });
  }

  private String relativePath(long repoId, Path from, String file) {
    Path given = Path.of(file);
    if (!given.isAbsolute()) {
      // "spans user.py" typed in a sub-folder of the repository means that folder's user.py
      Path beside = from.toAbsolutePath().normalize().resolve(given);
      if (java.nio.file.Files.isRegularFile(beside)) {
        given = beside;
      }
    }
    if (given.isAbsolute()) {
      String root =
          Objects.requireNonNull(db.withConnection(c -> RepositoryTable.rootPath(c, repoId)));
      Path rootPath = Path.of(root);
      Path abs = canonical(given);
      if (!abs.startsWith(rootPath)) {
        throw new PermanentException(file + " is not inside the repository " + root);
      }
      return rootPath.relativize(abs).toString().replace('\\', '/');
    }
    String rel = file.replace('\\', '/');
    while (rel.startsWith("./")) {
      rel = rel.substring(2);
    }
    return Path.of(rel).normalize().toString().replace('\\', '/');
  }

  /** The real path where it exists (so that symbolic links agree with the stored roots). */
  private static Path canonical(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    try {
      return abs.toRealPath();
    } catch (IOException e) {
      return abs;
    }
  }
}
