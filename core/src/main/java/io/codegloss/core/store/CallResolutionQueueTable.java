package io.codegloss.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Owner of call_resolution_queue: files whose calls were written and not resolved yet. A file is
 * queued in the transaction that writes its calls and leaves the queue in the transaction that
 * resolves them, so a run cut short in between is finished by the next one.
 */
public final class CallResolutionQueueTable {

  private CallResolutionQueueTable() {}

  public static void add(Connection c, long repoId, long fileId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into call_resolution_queue (file_id, repo_id) values (?, ?)"
                + " on conflict (file_id) do nothing")) {
      ps.setLong(1, fileId);
      ps.setLong(2, repoId);
      ps.executeUpdate();
    }
  }

  /** The queued files of a repository. */
  public static List<Long> files(Connection c, long repoId) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("select file_id from call_resolution_queue where repo_id = ?")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  public static void remove(Connection c, Collection<Long> fileIds) throws SQLException {
    if (fileIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("delete from call_resolution_queue where file_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
      ps.executeUpdate();
    }
  }
}
