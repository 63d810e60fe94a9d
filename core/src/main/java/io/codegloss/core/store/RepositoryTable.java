package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code repositories}: every repository registered by {@code index} or {@code enqueue},
 * and its generation, which {@code enqueue --full} bumps so that every note is written again. Works
 * on the caller's connection.
 */
public final class RepositoryTable {

  private RepositoryTable() {}

  /** Registers the repository at {@code rootPath} (or renames it); returns its id. */
  public static long upsert(Connection c, String rootPath, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into repositories (root_path, name) values (?, ?)"
                + " on conflict (root_path) do update set name = excluded.name returning id")) {
      ps.setString(1, rootPath);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A registered repository. */
  public record Row(
      long id, String rootPath, String name, int generation, @Nullable String lastIndexedAt) {}

  /** Every repository, by root path. */
  public static List<Row> all(Connection c) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select id, root_path, name, generation, last_indexed_at from repositories"
                    + " order by root_path");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        java.sql.Timestamp at = rs.getTimestamp(5);
        out.add(
            new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                at == null ? null : at.toInstant().toString()));
      }
    }
    return out;
  }

  /** The repository's root path, or null when there is no such repository. */
  public static @Nullable String rootPath(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select root_path from repositories where id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The repository's generation; 1 when there is no such repository. */
  public static int generation(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select generation from repositories where id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 1;
      }
    }
  }

  /** Bumps the generation: every note of the repository is stale from now on. */
  public static int bumpGeneration(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update repositories set generation = generation + 1 where id = ?"
                + " returning generation")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  public static void markIndexed(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update repositories set last_indexed_at = now() where id = ?")) {
      ps.setLong(1, repoId);
      ps.executeUpdate();
    }
  }
}
