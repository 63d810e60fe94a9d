package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.PermanentException;
import io.codegloss.scheduler.index.RepoStatus.LanguageKindCount;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the index: what {@code status} and {@code spans} show.
 *
 * <p>A span is <em>pending</em> while it has no enrichment for its current code: no row in
 * enrichments with span_hash = spans.content_hash, generation &gt;= the repository's generation and
 * the current prompt version (any model).
 */
public final class RepoQueries {

  /** The prompt version whose enrichments count as current until the worker says otherwise. */
  public static final int DEFAULT_PROMPT_VERSION = 1;

  private static final String PENDING =
      "not exists (select 1 from enrichments e where e.span_id = s.id"
          + " and e.span_hash = s.content_hash and e.generation >= r.generation"
          + " and e.prompt_version = ?)";

  private final Database db;
  private final int promptVersion;

  public RepoQueries(Database db) {
    this(db, DEFAULT_PROMPT_VERSION);
  }

  public RepoQueries(Database db, int promptVersion) {
    this.db = db;
    this.promptVersion = promptVersion;
  }

  /** Every repository in the database, by root path. */
  public List<RepoStatus> status() {
    return db.withConnection(
        c -> {
          Map<Long, List<LanguageKindCount>> counts = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select s.repo_id, s.language, s.kind, count(*), count(*) filter (where "
                      + PENDING
                      + ") from spans s join repositories r on r.id = s.repo_id"
                      + " group by s.repo_id, s.language, s.kind"
                      + " order by s.repo_id, s.language, s.kind")) {
            ps.setInt(1, promptVersion);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                counts
                    .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                    .add(
                        new LanguageKindCount(
                            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
              }
            }
          }
          List<RepoStatus> result = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select r.id, r.root_path, r.name, r.generation, r.last_indexed_at,"
                      + " (select count(*) from files f where f.repo_id = r.id),"
                      + " (select count(*) from skipped_files k where k.repo_id = r.id)"
                      + " from repositories r order by r.root_path")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                List<LanguageKindCount> lk = counts.getOrDefault(id, List.of());
                Timestamp at = rs.getTimestamp(5);
                result.add(
                    new RepoStatus(
                        id,
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        at == null ? null : at.toInstant().toString(),
                        rs.getLong(6),
                        rs.getLong(7),
                        lk.stream().mapToLong(LanguageKindCount::spans).sum(),
                        lk.stream().mapToLong(LanguageKindCount::pending).sum(),
                        lk));
              }
            }
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
    return db.withConnection(
        c -> {
          List<SpanInfo> spans = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select s.id, f.path, s.language, s.symbol, s.kind, s.start_line, s.end_line,"
                      + " s.token_estimate, s.content_hash from spans s"
                      + " join files f on f.id = s.file_id where s.repo_id = ?"
                      + (relative == null ? "" : " and f.path = ?")
                      + " order by f.path, s.start_line, s.end_line desc, s.id")) {
            ps.setLong(1, repoId);
            if (relative != null) {
              ps.setString(2, relative);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                spans.add(
                    new SpanInfo(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getInt(7),
                        rs.getInt(8),
                        rs.getString(9)));
              }
            }
          }
          return spans;
        });
  }

  /** The indexed repository whose root is the nearest ancestor of (or equal to) {@code path}. */
  public Optional<Long> repoIdFor(Path anyPathInside) {
    Path p = canonical(anyPathInside);
    return db.withConnection(
        c -> {
          Long best = null;
          int bestDepth = -1;
          try (PreparedStatement ps = c.prepareStatement("select id, root_path from repositories");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Path root = Path.of(rs.getString(2));
              if (p.startsWith(root) && root.getNameCount() > bestDepth) {
                best = rs.getLong(1);
                bestDepth = root.getNameCount();
              }
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
          db.withConnection(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement("select root_path from repositories where id = ?")) {
                  ps.setLong(1, repoId);
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                  }
                }
              });
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
