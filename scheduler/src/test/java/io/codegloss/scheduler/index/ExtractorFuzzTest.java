package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.facts.SpanFacts;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import io.codegloss.scheduler.index.extract.Extraction;
import io.codegloss.scheduler.index.extract.Language;
import io.codegloss.scheduler.index.extract.ParseTimeoutException;
import io.codegloss.scheduler.index.extract.SpanExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile file contents through the indexer's real read and parse path ({@link SourceContent} then
 * {@link SpanExtractor} with facts): random bytes, real code of every language mangled at random,
 * control characters, NUL bytes, invalid UTF-8, very deep nesting and very long lines. Nothing may
 * escape but a per-file reason (a skip or the parse time limit), and every span and every fact must
 * lie inside the file. Tries are bounded so the class runs in well under a minute.
 */
class ExtractorFuzzTest {

  private static final Map<Language, String> SAMPLES = new EnumMap<>(Language.class);
  private static SpanExtractor extractor;
  private static Path dir;

  @BeforeContainer
  static void start() throws IOException {
    extractor = new SpanExtractor(10_000);
    dir = Files.createTempDirectory("codegloss-fuzz");
    Map<Language, String> files =
        Map.ofEntries(
            Map.entry(Language.PYTHON, "sample.py"),
            Map.entry(Language.JAVASCRIPT, "sample.js"),
            Map.entry(Language.TYPESCRIPT, "sample.ts"),
            Map.entry(Language.TSX, "sample.tsx"),
            Map.entry(Language.GO, "sample.go"),
            Map.entry(Language.RUST, "sample.rs"),
            Map.entry(Language.JAVA, "Sample.java"),
            Map.entry(Language.C, "sample.c"),
            Map.entry(Language.CPP, "sample.cpp"),
            Map.entry(Language.CSHARP, "Sample.cs"),
            Map.entry(Language.RUBY, "sample.rb"));
    assertThat(files.keySet()).as("every language has a sample").hasSameSizeAs(Language.values());
    for (Map.Entry<Language, String> e : files.entrySet()) {
      try (InputStream in =
          ExtractorFuzzTest.class.getResourceAsStream("/golden/" + e.getValue())) {
        SAMPLES.put(e.getKey(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @AfterContainer
  static void stop() throws IOException {
    extractor.close();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  // ------------------------------------------------------------------ properties

  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  void randomBytesInEveryLanguageGiveSpansInsideTheFileOrAReason(
      @ForAll("languages") Language language, @ForAll("hostileBytes") byte[] content) {
    checkFile(language, content);
  }

  @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
  void realCodeMangledAtRandomGivesSpansInsideTheFileOrAReason(
      @ForAll("languages") Language language, @ForAll("edits") List<Edit> edits) {
    StringBuilder code = new StringBuilder(SAMPLES.get(language));
    for (Edit e : edits) {
      e.apply(code);
    }
    Statistics.label("language").collect(language);
    checkFile(language, code.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 44, shrinking = ShrinkingMode.BOUNDED)
  void deepNestingInEveryLanguageNeitherOverflowsTheStackNorLeavesTheFile(
      @ForAll("languages") Language language, @ForAll("depths") int depth) {
    checkFile(language, nested(language, depth).getBytes(StandardCharsets.UTF_8));
  }

  @Example
  void aSixThousandLevelNestingOfEveryLanguageIsHandled() {
    // 10,000 levels took minutes and gigabytes before MAX_NESTING; 6,000 keeps this test short
    for (Language language : Language.values()) {
      checkFile(language, nested(language, 6_000).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Example
  void aHalfMegabyteLineInsideAFunctionOfEveryLanguageIsHandled() {
    String huge = "x".repeat(500_000);
    for (Language language : Language.values()) {
      String code = SAMPLES.get(language);
      int mid = code.indexOf('\n', code.length() / 2);
      checkFile(
          language,
          (code.substring(0, mid) + " // \"" + huge + "\" # " + huge + code.substring(mid))
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Example
  void aMethodNamingAClassDefinedLaterInTheFileHasThatClassAsItsParent() throws Exception {
    byte[] code =
        "func (s *Server) Run() {}\n\ntype Server struct{}\n".getBytes(StandardCharsets.UTF_8);
    Extraction x = extractor.extract(Language.GO, code, new String(code, StandardCharsets.UTF_8));

    assertThat(x.spans()).extracting(ExtractedSpan::name).containsExactly("Run", "Server");
    assertThat(x.spans().get(0).parentIndex()).isEqualTo(1);
    checkFile(Language.GO, code);
  }

  // ------------------------------------------------------------------ the check

  private static void checkFile(Language language, byte[] content) {
    Path file;
    try {
      file = Files.createTempFile(dir, "f", language.extensions().get(0));
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SourceContent.Read read;
    try {
      read = SourceContent.read(file, Long.MAX_VALUE, language);
    } finally {
      file.toFile().delete();
    }
    if (read instanceof SourceContent.Skip skip) {
      // a per-file reason is an acceptable outcome; NUL is the only content reason here
      assertThat(skip.detail()).isNotBlank();
      Statistics.label("outcome").collect("skipped: " + skip.reason());
      return;
    }
    assertThat(read).isInstanceOf(SourceContent.Text.class);
    SourceContent.Text text = (SourceContent.Text) read;
    assertThat(text.bytes()).hasSameSizeAs(content);
    Extraction x;
    try {
      x = extractor.extract(language, text.bytes(), text.text());
    } catch (ParseTimeoutException e) {
      Statistics.label("outcome").collect("parse timeout");
      return;
    }
    Statistics.label("outcome").collect(x.spans().isEmpty() ? "no spans" : "spans");
    int len = text.bytes().length;
    int lines = Math.max(1, text.lineCount());
    assertThat(x.facts()).hasSameSizeAs(x.spans());
    for (int i = 0; i < x.spans().size(); i++) {
      ExtractedSpan s = x.spans().get(i);
      assertThat(s.startByte()).as("start byte of %s", s.symbol()).isBetween(0, len);
      assertThat(s.endByte()).as("end byte of %s", s.symbol()).isBetween(s.startByte(), len);
      assertThat(s.startLine()).as("start line of %s", s.symbol()).isBetween(1, lines);
      assertThat(s.endLine()).as("end line of %s", s.symbol()).isBetween(s.startLine(), lines);
      assertThat(s.parentIndex()).isBetween(-1, x.spans().size() - 1).isNotEqualTo(i);
      assertThat(ancestors(x.spans(), i))
          .as("parents of %s", s.symbol())
          .isLessThan(x.spans().size());
      assertThat(s.code())
          .isEqualTo(
              new String(
                  Arrays.copyOfRange(text.bytes(), s.startByte(), s.endByte()),
                  StandardCharsets.UTF_8));
      assertThat(s.name()).isNotNull();
      assertThat(s.symbol()).isNotNull();
      SpanFacts f = x.facts().get(i);
      for (int line : f.returnLines()) {
        assertThat(line).isBetween(s.startLine(), s.endLine());
      }
      for (SpanFacts.Raise r : f.raises()) {
        assertThat(r.line()).isBetween(s.startLine(), s.endLine());
      }
      for (SpanFacts.Call c : f.calls()) {
        assertThat(c.line()).isBetween(s.startLine(), s.endLine());
      }
      for (SpanFacts.SideEffect e : f.sideEffects()) {
        assertThat(e.line()).isBetween(s.startLine(), s.endLine());
      }
      if (f.docLines() != null) {
        assertThat(f.docLines().start()).isBetween(1, lines);
        assertThat(f.docLines().end()).isBetween(f.docLines().start(), lines);
      }
    }
  }

  /**
   * How many parents lie above span {@code i}, or the number of spans when the chain loops. A
   * parent usually comes first, but not always: a Go method or a Ruby {@code def Foo.bar} names a
   * class that may be defined later in the file ({@code IndexStore} writes parents first).
   */
  private static int ancestors(List<ExtractedSpan> spans, int i) {
    int n = 0;
    for (int p = spans.get(i).parentIndex();
        p >= 0 && n < spans.size();
        p = spans.get(p).parentIndex()) {
      n++;
    }
    return n;
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Language> languages() {
    return Arbitraries.of(Language.class);
  }

  /**
   * Bytes biased towards what breaks text handling: NUL, control, high and multi-byte lead bytes.
   */
  @Provide
  Arbitrary<byte[]> hostileBytes() {
    Arbitrary<Byte> nasty =
        Arbitraries.of(
            (byte) 0,
            (byte) 7,
            (byte) 8,
            (byte) 0x1b,
            (byte) '\r',
            (byte) '\n',
            (byte) 0x7f,
            (byte) 0x80,
            (byte) 0xc0,
            (byte) 0xc3,
            (byte) 0xe2,
            (byte) 0xed,
            (byte) 0xf0,
            (byte) 0xf4,
            (byte) 0xf8,
            (byte) 0xff,
            (byte) '{',
            (byte) '}',
            (byte) '(',
            (byte) '"',
            (byte) '\'');
    Arbitrary<Byte> anyByte = Arbitraries.bytes();
    Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 32, (byte) 126);
    Arbitrary<Byte> mix =
        Arbitraries.frequencyOf(Tuple.of(3, nasty), Tuple.of(2, anyByte), Tuple.of(5, ascii));
    return mix.array(byte[].class).ofMaxSize(3000);
  }

  /** One change to a real file: insert a hostile fragment, delete or duplicate a range. */
  record Edit(int kind, double where, double length, String fragment) {
    void apply(StringBuilder code) {
      int at = (int) (where * code.length());
      at = Math.min(at, code.length());
      // never cut a surrogate pair: the file is written as UTF-8 and must stay representable
      if (at > 0 && at < code.length() && Character.isLowSurrogate(code.charAt(at))) {
        at--;
      }
      int end = Math.min(code.length(), at + (int) (length * 200));
      if (end < code.length() && Character.isLowSurrogate(code.charAt(end))) {
        end++;
      }
      switch (kind) {
        case 0 -> code.insert(at, fragment);
        case 1 -> code.delete(at, end);
        default -> code.insert(at, code.substring(at, end));
      }
    }
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<String> fragments =
        Arbitraries.oneOf(
            Arbitraries.of(
                "{",
                "}",
                "(",
                ")",
                "[",
                "]",
                "\"",
                "'",
                "\"\"\"",
                "`",
                "/*",
                "*/",
                "//",
                "#",
                "\\",
                ":",
                ";",
                "\n",
                "\r\n",
                "\r",
                "\t",
                "\u0000",
                "\u0007",
                "\u001b[2J\u001b[31m",
                "\u0085",
                "\u2028",
                "\u202e",
                "\ufeff",
                "\ud83d\ude00",
                "é",
                "def ",
                "class ",
                "fn ",
                "func ",
                "function ",
                "return ",
                "raise ",
                "throw new ",
                "self.",
                "this.",
                "open(",
                "end\n",
                "<T>",
                "template<",
                "=>",
                "lambda: ",
                "@decorator\n",
                "    ",
                "\"\"\"doc\"\"\"\n",
                "/** doc */\n"),
            Arbitraries.strings().ofMaxLength(20),
            Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5));
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                fragments)
            .as(Edit::new);
    return edit.list().ofMinSize(1).ofMaxSize(12);
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(1, 4000);
  }

  /** {@code depth} nested definitions or blocks, in a shape the language's grammar accepts. */
  static String nested(Language language, int depth) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    switch (language) {
      case PYTHON -> {
        // indentation-nested functions, then brackets inside the innermost one
        int defs = Math.min(depth, 90);
        for (int i = 0; i < defs; i++) {
          open.append(" ".repeat(i)).append("def f").append(i).append("(a):\n");
        }
        open.append(" ".repeat(defs)).append("return ").append("(".repeat(depth));
        close.append(")".repeat(depth)).append('\n');
      }
      case RUBY -> {
        for (int i = 0; i < depth; i++) {
          open.append("def f").append(i).append("(a)\n");
          close.append("end\n");
        }
      }
      case JAVASCRIPT, TYPESCRIPT, TSX -> {
        for (int i = 0; i < depth; i++) {
          open.append("function f").append(i).append("(a) { ");
          close.append("}");
        }
      }
      case GO -> {
        open.append("package p\nfunc f(a int) int { return ");
        for (int i = 0; i < depth; i++) {
          open.append("func() int { return ");
          close.append("}()");
        }
        close.append("}\n");
      }
      case RUST -> {
        for (int i = 0; i < depth; i++) {
          open.append("fn f").append(i).append("(a: i32) { ");
          close.append("}");
        }
      }
      case JAVA, CSHARP -> {
        for (int i = 0; i < depth; i++) {
          open.append("class C").append(i).append(" { ");
          close.append("}");
        }
      }
      case C, CPP -> {
        open.append("int f(int a) { ");
        for (int i = 0; i < depth; i++) {
          open.append("if (a) { g(a); ");
          close.append("}");
        }
        close.append("}\n");
      }
    }
    return open.toString() + close;
  }
}
