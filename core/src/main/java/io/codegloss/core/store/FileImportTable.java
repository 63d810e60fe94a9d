package io.codegloss.core.store;

import io.codegloss.core.facts.FileImport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Owner of file_imports: each file's imports, which the call resolver reads. */
public final class FileImportTable {

  private FileImportTable() {}

  /** Replaces the imports of one file. */
  public static void write(Connection c, long fileId, List<FileImport> imports)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into file_imports (file_id, imports) values (?, ?::jsonb)"
                + " on conflict (file_id) do update set imports = excluded.imports")) {
      ps.setLong(1, fileId);
      ps.setString(2, FactsJson.write(imports));
      ps.executeUpdate();
    }
  }

  /** The imports of several files by file id; files without a row are absent. */
  public static Map<Long, List<FileImport>> read(Connection c, Collection<Long> fileIds)
      throws SQLException {
    Map<Long, List<FileImport>> out = new HashMap<>();
    if (fileIds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select file_id, imports::text from file_imports where file_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), FactsJson.readImports(rs.getString(2)));
        }
      }
    }
    return out;
  }
}
