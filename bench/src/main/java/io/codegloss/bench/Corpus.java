package io.codegloss.bench;

import io.codegloss.core.error.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code the benchmark enriches. The default is real code that no one here wrote and that every
 * machine has offline: a fixed list of modules from the Python standard library of the machine's
 * {@code python3}, copied into the run's folder so that the corpus cannot change under a run. They
 * were chosen for many small functions that call each other ({@code heapq}'s sift helpers, {@code
 * glob}'s recursion helpers, {@code genericpath}'s stat wrappers, {@code fnmatch}'s
 * translate/filter pair), a few classes with methods ({@code sched.scheduler}, {@code
 * textwrap.TextWrapper}) and some larger functions ({@code heapq.merge}, {@code
 * TextWrapper._wrap_chunks}).
 *
 * @param root the directory that is indexed
 * @param description one line for the report (where it came from)
 * @param files the files copied (default corpus) or empty for a user-given directory
 */
public record Corpus(Path root, String description, List<String> files) {

  /** The default corpus, in this order. */
  public static final List<String> DEFAULT_MODULES =
      List.of(
          "bisect.py",
          "colorsys.py",
          "fnmatch.py",
          "genericpath.py",
          "glob.py",
          "heapq.py",
          "sched.py");

  public Corpus {
    files = List.copyOf(files);
  }

  /** A directory the user named; it is indexed where it is. */
  public static Corpus of(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new ConfigException("bench: corpus is not a directory: " + root);
    }
    return new Corpus(root, root.toString(), List.of());
  }

  /** Copies the default modules from {@code python3}'s standard library into {@code into}. */
  public static Corpus pythonStdlib(Path into) {
    Path stdlib = stdlibDir();
    String version = run("python3", "-c", "import sys;print(sys.version.split()[0])");
    try {
      Files.createDirectories(into);
      List<String> copied = new ArrayList<>();
      for (String module : DEFAULT_MODULES) {
        Path src = stdlib.resolve(module);
        if (Files.isRegularFile(src)) {
          Files.copy(src, into.resolve(module), StandardCopyOption.REPLACE_EXISTING);
          copied.add(module);
        }
      }
      if (copied.isEmpty()) {
        throw new ConfigException(
            "bench: none of " + DEFAULT_MODULES + " found in " + stdlib + "; give a CORPUS path");
      }
      return new Corpus(
          into.toAbsolutePath().normalize(),
          "Python "
              + version
              + " standard library ("
              + String.join(", ", copied)
              + ") from "
              + stdlib
              + ", copied",
          copied);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path stdlibDir() {
    String out = run("python3", "-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])");
    Path p = Path.of(out);
    if (!Files.isDirectory(p)) {
      throw new ConfigException(
          "bench: python3 names " + out + " as its standard library, which is not a directory");
    }
    return p;
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new ConfigException(
            "bench: the default corpus needs python3 (" + out + "); give a CORPUS path instead");
      }
      return out;
    } catch (IOException e) {
      throw new ConfigException(
          "bench: the default corpus needs python3 on the PATH; give a CORPUS path instead");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("bench: interrupted");
    }
  }
}
