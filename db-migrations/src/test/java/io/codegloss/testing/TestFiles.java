package io.codegloss.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** File helpers the tests of every module share. */
public final class TestFiles {

  private TestFiles() {}

  /**
   * Deletes {@code dir} and everything below it, deepest first, without following links. A
   * temporary directory: what cannot be deleted is left for the OS, and a missing or null {@code
   * dir} is fine.
   */
  public static void deleteTree(@Nullable Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // left for the OS
                }
              });
    } catch (IOException e) {
      // same
    }
  }
}
