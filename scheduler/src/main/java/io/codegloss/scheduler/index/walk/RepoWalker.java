package io.codegloss.scheduler.index.walk;

import io.codegloss.scheduler.index.extract.Language;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a repository the way git sees it: honours every .gitignore (nested ones included) and
 * .git/info/exclude, plus default excludes for tool folders and virtual environments. Symbolic
 * links are never followed, so a link cannot lead the walk out of the repository or into a loop.
 * Names that look like secrets are recorded as skipped without being opened.
 */
public final class RepoWalker {

  private static final Logger log = LoggerFactory.getLogger(RepoWalker.class);

  /** Folders that hold version control data, build output, dependencies or caches. */
  public static final Set<String> DEFAULT_EXCLUDED_DIRECTORIES =
      Set.of(
          ".git",
          ".hg",
          ".svn",
          ".jj",
          "node_modules",
          "bower_components",
          "build",
          "target",
          "dist",
          ".venv",
          "__pycache__",
          ".tox",
          ".nox",
          ".mypy_cache",
          ".pytest_cache",
          ".ruff_cache",
          ".gradle",
          ".next",
          ".nuxt",
          ".terraform",
          ".eggs",
          ".codegloss");

  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /** Real ignore files are a few kilobytes; Linux's own tree's largest is under 10 KiB. */
  static final long MAX_IGNORE_FILE_BYTES = 1 << 20;

  private final long maxFileBytes;
  private final List<String> extraExcludes;

  /**
   * @param maxFileBytes files larger than this are skipped as too_large
   * @param extraExcludes further gitignore-style patterns that apply from the root
   */
  public RepoWalker(long maxFileBytes, List<String> extraExcludes) {
    this.maxFileBytes = maxFileBytes;
    this.extraExcludes = List.copyOf(extraExcludes);
  }

  /** A chain of ignore files from the root down to the current directory. */
  private record Level(GitIgnore rules, @Nullable Level up) {
    boolean ignored(String rel, boolean dir) {
      for (Level l = this; l != null; l = l.up) {
        Boolean d = l.rules.decide(rel, dir);
        if (d != null) {
          return d;
        }
      }
      return false;
    }
  }

  private final class Walk {
    final Path root;
    final @Nullable WalkScope scope;
    final List<SourceFile> files = new ArrayList<>();
    final List<SkippedFile> skipped = new ArrayList<>();
    final List<String> directories = new ArrayList<>();
    int other;

    Walk(Path root, @Nullable WalkScope scope) {
      this.root = root;
      this.scope = scope;
    }

    boolean inScope(String rel) {
      return scope == null || scope.includes(rel);
    }
  }

  /**
   * @param root the repository root; should be a real path (no symbolic links in it)
   */
  public WalkResult walk(Path root) {
    return walk(root, null);
  }

  /**
   * Walks only {@code scope} (and the folders above it, for their ignore files); the result holds
   * only what lies in scope.
   *
   * @param root the repository root; should be a real path (no symbolic links in it)
   * @param scope the paths to look at, or null for the whole repository
   */
  public WalkResult walk(Path root, @Nullable WalkScope scope) {
    Walk w = new Walk(root, scope);
    Level level = new Level(GitIgnore.parse("", String.join("\n", extraExcludes)), null);
    Path exclude = root.resolve(".git").resolve("info").resolve("exclude");
    if (Files.exists(exclude, NO_FOLLOW)) {
      String text = readIgnoreFile(w, exclude, ".git/info/exclude");
      if (text != null) {
        level = new Level(GitIgnore.parse("", text), level);
      }
    }
    visitDirectory(w, root, "", level);
    return new WalkResult(
        Collections.unmodifiableList(w.files),
        Collections.unmodifiableList(w.skipped),
        w.other,
        Collections.unmodifiableList(w.directories));
  }

  private void visitDirectory(Walk w, Path dir, String rel, Level level) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        entries.add(p);
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // removed or replaced while we walked: it is simply not part of the repository now
      return;
    } catch (IOException | SecurityException e) {
      if (!rel.isEmpty()) {
        w.skipped.add(SkippedFile.of(rel + "/", SkipReason.UNREADABLE, describe(e)));
      }
      log.debug("cannot list {}: {}", dir, e.toString());
      return;
    }
    entries.sort(null);
    boolean isVirtualEnv = false;
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.equals(".gitignore")) {
        String text = readIgnoreFile(w, p, rel.isEmpty() ? name : rel + "/" + name);
        if (text != null) {
          level = new Level(GitIgnore.parse(rel, text), level);
        }
      } else if (name.equals("pyvenv.cfg") || name.equals("conda-meta")) {
        isVirtualEnv = true;
      }
    }
    if (isVirtualEnv && !rel.isEmpty()) {
      return;
    }
    if (w.inScope(rel)) {
      w.directories.add(rel);
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      if (w.scope != null && !w.scope.enters(childRel)) {
        continue;
      }
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(p, BasicFileAttributes.class, NO_FOLLOW);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | SecurityException e) {
        if (!level.ignored(childRel, false)) {
          w.skipped.add(SkippedFile.of(childRel, SkipReason.UNREADABLE, describe(e)));
        }
        continue;
      }
      if (attrs.isSymbolicLink()) {
        visitLink(w, p, childRel, level);
      } else if (attrs.isDirectory()) {
        if (DEFAULT_EXCLUDED_DIRECTORIES.contains(name) || level.ignored(childRel, true)) {
          continue;
        }
        if (SecretFiles.isSecretDirectory(name)) {
          w.skipped.add(
              SkippedFile.of(childRel + "/", SkipReason.SECRET, "folder of keys or credentials"));
          continue;
        }
        visitDirectory(w, p, childRel, level);
      } else if (attrs.isRegularFile()) {
        visitFile(w, p, name, childRel, attrs, level);
      }
      // sockets, fifos and devices are never source code, and reading a fifo would block
    }
  }

  private void visitFile(
      Walk w, Path p, String name, String rel, BasicFileAttributes attrs, Level level) {
    if (level.ignored(rel, false)) {
      return;
    }
    if (SecretFiles.isSecretName(name)) {
      w.skipped.add(SkippedFile.of(rel, SkipReason.SECRET, "name looks like a secret"));
      return;
    }
    Optional<Language> language = Language.forFileName(name);
    if (language.isEmpty()) {
      w.other++;
      return;
    }
    if (attrs.size() > maxFileBytes) {
      w.skipped.add(
          SkippedFile.of(
              rel,
              SkipReason.TOO_LARGE,
              attrs.size() + " bytes > CODEGLOSS_MAX_FILE_BYTES=" + maxFileBytes));
      return;
    }
    w.files.add(
        new SourceFile(rel, p, language.get(), attrs.size(), attrs.lastModifiedTime().toMillis()));
  }

  private void visitLink(Walk w, Path link, String rel, Level level) {
    if (level.ignored(rel, false) || level.ignored(rel, true)) {
      return;
    }
    String name = link.getFileName().toString();
    if (SecretFiles.isSecretName(name)) {
      w.skipped.add(SkippedFile.of(rel, SkipReason.SECRET, "name looks like a secret"));
      return;
    }
    String detail;
    try {
      Path target = link.toRealPath();
      detail =
          target.startsWith(w.root)
              ? "links to " + w.root.relativize(target).toString().replace('\\', '/')
              : "points outside the repository";
    } catch (IOException | SecurityException e) {
      detail = "broken or looping link";
    }
    w.skipped.add(SkippedFile.of(rel, SkipReason.SYMLINK, detail));
  }

  /**
   * The text of an ignore file, or null (recorded as a skip) when it is not a plain file of a sane
   * size: a FIFO named .gitignore would block the walk forever, and one linked to /dev/zero would
   * fill the heap. Links are never followed, here as everywhere.
   */
  private static @Nullable String readIgnoreFile(Walk w, Path p, String rel) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NO_FOLLOW);
      if (a.isSymbolicLink()) {
        w.skipped.add(SkippedFile.of(rel, SkipReason.SYMLINK, "ignore file is a link: not read"));
        return null;
      }
      if (!a.isRegularFile()) {
        w.skipped.add(
            SkippedFile.of(rel, SkipReason.UNREADABLE, "ignore file is not a regular file"));
        return null;
      }
      if (a.size() > MAX_IGNORE_FILE_BYTES) {
        w.skipped.add(
            SkippedFile.of(
                rel,
                SkipReason.TOO_LARGE,
                "ignore file over " + MAX_IGNORE_FILE_BYTES + " bytes: not read"));
        return null;
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(p, NO_FOLLOW)) {
        // bounded even if the file grows between the size check and the read
        bytes = in.readNBytes((int) MAX_IGNORE_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_IGNORE_FILE_BYTES) {
        w.skipped.add(
            SkippedFile.of(
                rel,
                SkipReason.TOO_LARGE,
                "ignore file over " + MAX_IGNORE_FILE_BYTES + " bytes: not read"));
        return null;
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    } catch (IOException | SecurityException e) {
      w.skipped.add(SkippedFile.of(rel, SkipReason.UNREADABLE, describe(e)));
      log.debug("cannot read ignore file {}: {}", p, e.toString());
      return null;
    }
  }

  static String describe(Exception e) {
    String cls = e.getClass().getSimpleName();
    return switch (cls) {
      case "AccessDeniedException" -> "permission denied";
      case "FileSystemLoopException" -> "file system loop";
      default -> cls.replace("Exception", "").toLowerCase(java.util.Locale.ROOT);
    };
  }
}
