package io.codegloss.scheduler.index.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: for each language a sample file under {@code golden/} and the spans codegloss
 * must find in it ({@code <sample>.spans}, one line per span). Run with {@code
 * -Dgolden.update=true} to rewrite the expected files after a deliberate change, then review the
 * diff.
 */
class GoldenSpansTest {

  private static SpanExtractor extractor;

  @BeforeAll
  static void open() {
    extractor = new SpanExtractor(10_000);
  }

  @AfterAll
  static void close() {
    extractor.close();
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("sample.py", Language.PYTHON),
        Arguments.of("sample.js", Language.JAVASCRIPT),
        Arguments.of("sample.ts", Language.TYPESCRIPT),
        Arguments.of("sample.tsx", Language.TSX),
        Arguments.of("sample.go", Language.GO),
        Arguments.of("sample.rs", Language.RUST),
        Arguments.of("Sample.java", Language.JAVA),
        Arguments.of("sample.c", Language.C),
        Arguments.of("sample.cpp", Language.CPP),
        Arguments.of("Sample.cs", Language.CSHARP),
        Arguments.of("sample.rb", Language.RUBY));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("samples")
  void findsTheExpectedSpansInEachLanguage(String sample, Language language) throws Exception {
    byte[] bytes = resource(sample);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(Language.forFileName(sample)).contains(language);

    Extraction extraction = extractor.extract(language, bytes, text);

    assertThat(extraction.parseErrors()).as("sample parses cleanly").isFalse();
    String actual = GoldenFormat.render(extraction);
    if (Boolean.getBoolean("golden.update")) {
      Path dir =
          Path.of(System.getProperty("codegloss.repoRoot"), "scheduler/src/test/resources/golden");
      Files.writeString(dir.resolve(sample + ".spans"), actual);
    }
    String expected = new String(resource(sample + ".spans"), StandardCharsets.UTF_8);
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("samples")
  void spanCodeIsExactlyTheBytesAndLinesItClaims(String sample, Language language)
      throws Exception {
    byte[] bytes = resource(sample);
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);

    for (ExtractedSpan s : extractor.extract(language, bytes, text).spans()) {
      byte[] slice = java.util.Arrays.copyOfRange(bytes, s.startByte(), s.endByte());
      assertThat(s.code()).isEqualTo(new String(slice, StandardCharsets.UTF_8));
      String[] codeLines = s.code().split("\n", -1);
      assertThat(s.endLine() - s.startLine() + 1).isEqualTo(codeLines.length);
      assertThat(lines[s.startLine() - 1]).contains(codeLines[0]);
      assertThat(lines[s.endLine() - 1]).contains(codeLines[codeLines.length - 1]);
      assertThat(s.contentHash()).hasSize(64);
      assertThat(s.tokenEstimate()).isPositive();
    }
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = GoldenSpansTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        return new byte[0];
      }
      return in.readAllBytes();
    }
  }
}
