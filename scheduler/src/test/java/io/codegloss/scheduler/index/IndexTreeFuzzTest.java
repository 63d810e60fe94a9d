package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.scheduler.index.extract.Language;
import io.codegloss.scheduler.index.walk.SkipReason;
import io.codegloss.scheduler.index.walk.SkippedFile;
import io.codegloss.testing.Rows;
import io.codegloss.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random repositories through the real indexer and a real PostgreSQL: names with control
 * characters, unicode, spaces and leading dashes, deep folders, random .gitignore files, links that
 * loop, dangle or leave the repository, files of every language with hostile bytes. The run must
 * finish with a report, every problem must be a per-file reason, every span must lie inside its
 * file, and a second run over the same tree must change nothing.
 */
class IndexTreeFuzzTest {

  private static TestDatabase testDb;

  @BeforeContainer
  static void start() {
    testDb = TestDatabase.fresh();
  }

  @AfterContainer
  static void stop() {
    testDb.close();
  }

  /** One entry of the tree: a path of folder names, a leaf name, and what it is. */
  record Entry(List<String> folders, String name, int kind, byte[] content) {}

  @Property(tries = 25, shrinking = ShrinkingMode.OFF)
  void aRandomHostileTreeIndexesWithReasonsAndSpansInsideTheirFiles(
      @ForAll("trees") List<Entry> tree) throws IOException {
    Path repo = Files.createTempDirectory("codegloss-tree");
    try {
      for (Entry e : tree) {
        create(repo, e);
      }
      IndexFixture fx = new IndexFixture(testDb.database(), repo);
      IndexReport first = fx.index();

      Set<String> reasons =
          Arrays.stream(SkipReason.values()).map(SkipReason::dbName).collect(Collectors.toSet());
      for (SkippedFile s : first.filesSkipped()) {
        assertThat(s.reason()).isIn(reasons);
        Statistics.label("skips").collect(s.reason());
      }
      assertThat(
              fx.count(
                  "select count(*) from spans s join files f on f.id = s.file_id"
                      + " where s.start_line < 1 or s.end_line < s.start_line"
                      + " or s.end_line > greatest(f.line_count, 1)"
                      + " or s.start_byte < 0 or s.end_byte < s.start_byte"
                      // a file decoded from Latin-1 or cp1252 grows at most 3x as UTF-8
                      + " or s.end_byte > f.size_bytes * 3"
                      + " or octet_length(s.code) <> s.end_byte - s.start_byte"))
          .as("spans outside their files")
          .isZero();
      for (String path : strings(fx, "select path from files where repo_id = " + first.repoId())) {
        assertThat(Files.isRegularFile(repo.resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .as("indexed path %s is a file of the tree", path)
            .isTrue();
      }

      IndexReport second = fx.index();
      assertThat(second.filesChanged()).as("a second run over the same tree").isZero();
      assertThat(second.spansTotal()).isEqualTo(first.spansTotal());
      Statistics.label("outcome").collect(first.spansTotal() > 0 ? "spans" : "no spans");
    } finally {
      deleteTree(repo);
    }
  }

  // ------------------------------------------------------------------ building the tree

  private static void create(Path repo, Entry e) throws IOException {
    Path dir = repo;
    try {
      for (String f : e.folders()) {
        dir = dir.resolve(f);
      }
      Files.createDirectories(dir);
      Path p = dir.resolve(e.name());
      if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      switch (e.kind()) {
        case 0 -> Files.write(p, e.content());
        case 1 -> Files.writeString(p, new String(e.content(), StandardCharsets.UTF_8));
        case 2 -> Files.createSymbolicLink(p, Path.of(".."));
        case 3 -> Files.createSymbolicLink(p, Path.of(e.name()));
        case 4 -> Files.createSymbolicLink(p, Path.of("/etc"));
        case 5 -> Files.createSymbolicLink(p, Path.of("missing/target.py"));
        default -> Files.write(dir.resolve(".gitignore"), e.content());
      }
    } catch (FileAlreadyExistsException | java.nio.file.NotDirectoryException e2) {
      // a name generated twice, or a folder where a file already is: the tree is what it is
    } catch (InvalidPathException e2) {
      // only NUL is invalid in a name on Linux, and the generator never makes one
      throw e2;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<String> strings(IndexFixture fx, String sql) {
    return Rows.strings(fx.db, sql);
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<List<Entry>> trees() {
    return entries().list().ofMinSize(1).ofMaxSize(30);
  }

  private Arbitrary<Entry> entries() {
    Arbitrary<List<String>> folders =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, names().list().ofMaxSize(3)),
            // deep nesting: 40 levels of short names
            net.jqwik.api.Tuple.of(1, Arbitraries.of("d", "é", "\u001b").list().ofSize(40)));
    Arbitrary<String> extensions =
        Arbitraries.of(
            Arrays.stream(Language.values())
                .flatMap(l -> l.extensions().stream())
                .collect(Collectors.toList()));
    Arbitrary<String> leaf = Combinators.combine(names(), extensions).as((n, x) -> n + x);
    Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 6);
    Arbitrary<byte[]> content =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(400),
            Arbitraries.of(
                    "def f(a):\n    return g(a)\n",
                    "class C:\n    def m(self):\n        open('x').write('y')\n",
                    "function f(x) { return x; }\n",
                    "fn main() { println!(\"hi\"); }\n",
                    "*.py\n!keep.py\n**/\u00e9/\n\\#x\n[\n",
                    "# coding: latin-1\ndef caf\u00e9():\n    pass\n",
                    "int main(void) { return 0; }\n")
                .map(s -> s.getBytes(StandardCharsets.UTF_8)),
            Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8)));
    return Combinators.combine(folders, leaf, kinds, content).as(Entry::new);
  }

  /** File and folder names: control characters, unicode, spaces, dashes, dots; never / or NUL. */
  private Arbitrary<String> names() {
    Arbitrary<Character> hostile =
        Arbitraries.of(
            '\u0001', '\u0007', '\u001b', '\t', '\n', '\r', '\u007f', '\u0085', '\u00e9', '\u202e',
            '\ufeff', ' ', '-', '.', '*', '?', '[', '\\', '"', '\'', '$', '!', '#', '\u4e2d');
    Arbitrary<Character> plain = Arbitraries.chars().alpha().numeric();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, hostile), net.jqwik.api.Tuple.of(3, plain))
        .list()
        .ofMinSize(1)
        .ofMaxSize(20)
        .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()))
        .filter(n -> !n.equals(".") && !n.equals(".."));
  }
}
