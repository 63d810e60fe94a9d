package io.codegloss.scheduler.index.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.facts.SpanFacts.Call;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import io.codegloss.scheduler.index.extract.Extraction;
import io.codegloss.scheduler.index.extract.Language;
import io.codegloss.scheduler.index.extract.SpanExtractor;
import io.codegloss.scheduler.index.facts.CallResolver.CallSite;
import io.codegloss.scheduler.index.facts.CallResolver.SymbolRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes the hand-checked fixture repository under {@code facts-fixture/} (extraction and
 * resolution, no database) and scores the call edges found against {@code expected-edges.txt}.
 */
class CallResolverFixtureTest {

  private static final Logger log = LoggerFactory.getLogger(CallResolverFixtureTest.class);

  /** caller "path:symbol" -> language group; edges found, grouped. */
  private static final Map<String, Set<String>> found = new TreeMap<>();

  private static final Map<String, Set<String>> expected = new TreeMap<>();

  @BeforeAll
  static void indexTheFixture() throws Exception {
    Path root = Path.of(CallResolverFixtureTest.class.getResource("/facts-fixture").toURI());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<SymbolRow> rows = new ArrayList<>();
    Map<String, List<FileImport>> imports = new HashMap<>();
    List<CallSite> sites = new ArrayList<>();
    Map<Long, String> names = new HashMap<>();
    long nextId = 1;
    try (SpanExtractor extractor = new SpanExtractor(10_000)) {
      for (Path file : files) {
        Optional<Language> language = Language.forFileName(file.getFileName().toString());
        if (language.isEmpty()) {
          continue;
        }
        String path = root.relativize(file).toString().replace('\\', '/');
        byte[] bytes = Files.readAllBytes(file);
        Extraction e =
            extractor.extract(language.get(), bytes, new String(bytes, StandardCharsets.UTF_8));
        imports.put(path, e.imports());
        for (int i = 0; i < e.spans().size(); i++) {
          ExtractedSpan s = e.spans().get(i);
          long id = nextId++;
          String parent = s.parentIndex() < 0 ? null : e.spans().get(s.parentIndex()).symbol();
          rows.add(
              new SymbolRow(
                  id, path, s.language(), s.kind().dbName(), s.name(), s.symbol(), parent));
          names.put(id, path + ":" + s.symbol());
          SpanFacts f = e.facts().get(i);
          for (Call c : f.calls()) {
            sites.add(new CallSite(id, path, s.language(), s.symbol(), f.signature(), c));
          }
        }
      }
    }
    CallResolver resolver = new CallResolver(rows, imports);
    for (CallSite site : sites) {
      Long to = resolver.resolve(site);
      if (to != null) {
        found
            .computeIfAbsent(group(site.language()), k -> new TreeSet<>())
            .add(names.get(site.fromSpanId()) + " -> " + names.get(to));
      }
    }
    for (String line :
        Files.readAllLines(root.resolve("expected-edges.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      expected
          .computeIfAbsent(line.substring(0, space), k -> new TreeSet<>())
          .add(line.substring(space + 1).strip());
    }
  }

  private static String group(String language) {
    return language.equals("tsx") ? "typescript" : language;
  }

  private record Score(int truePositives, int found, int expected) {
    double precision() {
      return found == 0 ? 1.0 : (double) truePositives / found;
    }

    double recall() {
      return expected == 0 ? 1.0 : (double) truePositives / expected;
    }
  }

  private static Score score(Set<String> got, Set<String> want) {
    Set<String> hit = new TreeSet<>(got);
    hit.retainAll(want);
    return new Score(hit.size(), got.size(), want.size());
  }

  @Test
  void resolvesCrossFileCallsWithRecallAndPrecisionOfAtLeast95PercentPerLanguage() {
    int tp = 0;
    int got = 0;
    int want = 0;
    StringBuilder report = new StringBuilder("call-edge scores of the facts fixture:\n");
    for (String language : List.of("python", "javascript", "typescript", "java", "go")) {
      Set<String> g = found.getOrDefault(language, Set.of());
      Set<String> w = expected.getOrDefault(language, Set.of());
      Score s = score(g, w);
      tp += s.truePositives();
      got += s.found();
      want += s.expected();
      report.append(
          String.format(
              "  %-10s recall %.3f (%d/%d)  precision %.3f (%d/%d)%n",
              language,
              s.recall(),
              s.truePositives(),
              s.expected(),
              s.precision(),
              s.truePositives(),
              s.found()));
      Set<String> missing = new TreeSet<>(w);
      missing.removeAll(g);
      Set<String> wrong = new TreeSet<>(g);
      wrong.removeAll(w);
      missing.forEach(m -> report.append("    missing ").append(m).append('\n'));
      wrong.forEach(m -> report.append("    wrong   ").append(m).append('\n'));
    }
    Score all = new Score(tp, got, want);
    report.append(
        String.format(
            "  %-10s recall %.3f (%d/%d)  precision %.3f (%d/%d)%n",
            "overall", all.recall(), tp, want, all.precision(), tp, got));
    log.info("{}", report);
    System.out.println(report);

    for (String language : List.of("python", "javascript", "typescript", "java", "go")) {
      Score s =
          score(found.getOrDefault(language, Set.of()), expected.getOrDefault(language, Set.of()));
      assertThat(s.expected()).as(language + " has expected edges").isGreaterThan(10);
      assertThat(s.recall()).as(language + " recall").isGreaterThanOrEqualTo(0.95);
      assertThat(s.precision()).as(language + " precision").isGreaterThanOrEqualTo(0.95);
    }
    assertThat(all.recall()).as("overall recall").isGreaterThanOrEqualTo(0.95);
    assertThat(all.precision()).as("overall precision").isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void neverLinksACallToASameNamedFunctionOfAnotherFile() {
    Set<String> all = new TreeSet<>();
    found.values().forEach(all::addAll);
    assertThat(all)
        .noneMatch(e -> e.endsWith("python/shop/cli.py:validate"))
        .noneMatch(e -> e.endsWith("go/report/report.go:Normalize"))
        .noneMatch(e -> e.endsWith("Audit.java:Audit.format"))
        .noneMatch(e -> e.startsWith("ts/ui/") && e.endsWith("ts/services/log.ts:format"));
  }
}
