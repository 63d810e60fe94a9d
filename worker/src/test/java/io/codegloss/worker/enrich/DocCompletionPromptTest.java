package io.codegloss.worker.enrich;

import static io.codegloss.worker.enrich.DocSpans.facts;
import static io.codegloss.worker.enrich.DocSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.DocCompletionPrompt.Batch;
import io.codegloss.worker.enrich.DocCompletionPrompt.Input;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocCompletionPromptTest {

  static final String ADD =
      "def add(a, b):\n"
          + "    \"\"\"Add two numbers.\n"
          + "\n"
          + "    Longer text.\n"
          + "    \"\"\"\n"
          + "    return a + b";

  static final String SCALE =
      "def scale(self, factor):\n"
          + "        '''Scale every point by factor.'''\n"
          + "        for p in self.points:\n"
          + "            p.x *= factor";

  static Span add() {
    return span("pkg/geo.py", "python", SpanKind.FUNCTION, "add", 10, "def add(a, b):", ADD);
  }

  static Span scale() {
    return span(
        "pkg/geo.py",
        "python",
        SpanKind.METHOD,
        "Shape.scale",
        20,
        "def scale(self, factor):",
        SCALE);
  }

  static Batch build(List<Input> in) {
    return DocCompletionPrompt.build(in, DocSpans::tokens, 4000);
  }

  @Test
  void onePythonFunctionIsItsCodeWithoutTheDocstringThenItsSignatureWithAnOpenDocstring() {
    Batch b = build(List.of(new Input(add(), facts("Add two numbers.\n\nLonger text.", 11, 14))));

    assertThat(b.prompt(0))
        .isEqualTo(
            "# pkg/geo.py\n"
                + "\n"
                + "def add(a, b):\n"
                + "    return a + b\n"
                + "\n"
                + "def add(a, b):\n"
                + "    \"\"\"");
    assertThat(b.spans().get(0).docstring()).isEqualTo("Add two numbers.\n\nLonger text.");
    assertThat(b.spans().get(0).lead()).isEmpty();
    assertThat(b.spans().get(0).stop()).contains("\"\"\"", "\n\n");
  }

  @Test
  void withoutFactsTheDocstringIsFoundInTheCodeAndCut() {
    Batch b = build(List.of(new Input(add(), null)));

    assertThat(b.prefix()).doesNotContain("Add two numbers").doesNotContain("Longer text");
    assertThat(b.spans().get(0).docstring()).isEqualTo("Add two numbers. Longer text.");
  }

  @Test
  void aMethodSitsInsideItsClassWithTheDocstringIndentedUnderIt() {
    Batch b = build(List.of(new Input(scale(), null)));

    assertThat(b.prompt(0))
        .isEqualTo(
            "# pkg/geo.py\n"
                + "\n"
                + "class Shape:\n"
                + "    def scale(self, factor):\n"
                + "        for p in self.points:\n"
                + "            p.x *= factor\n"
                + "\n"
                + "    def scale(self, factor):\n"
                + "        \"\"\"");
  }

  @Test
  void aBatchSharesOnePrefixAndEachSpanGetsOnlyItsOwnSuffix() {
    Batch b = build(List.of(new Input(add(), null), new Input(scale(), null)));

    assertThat(b.spans()).hasSize(2);
    assertThat(b.prefix()).contains("return a + b").contains("p.x *= factor");
    assertThat(b.prefix()).doesNotContain("\"\"\"").doesNotContain("'''");
    // the prefix ends inside class Shape, so add's suffix is top-level code again
    assertThat(b.spans().get(0).suffix()).isEqualTo("\ndef add(a, b):\n    \"\"\"");
    assertThat(b.spans().get(1).suffix())
        .isEqualTo("\n    def scale(self, factor):\n        \"\"\"");
    assertThat(b.deferred()).isEmpty();
  }

  @Test
  void aFunctionWhoseBodyWasOnlyItsDocstringGetsPass() {
    Span s =
        span(
            "m.py",
            "python",
            SpanKind.FUNCTION,
            "noop",
            1,
            "def noop():",
            "def noop():\n    \"\"\"Do nothing.\"\"\"");

    assertThat(build(List.of(new Input(s, facts("Do nothing.", 2, 2)))).prefix())
        .isEqualTo("# m.py\n\ndef noop():\n    pass\n");
  }

  @Test
  void aMultiLineSignatureIsRepeatedWhole() {
    String code = "def f(\n    a,\n    b,\n) -> int:\n    return a";
    Span s = span("m.py", "python", SpanKind.FUNCTION, "f", 1, "def f( a, b, ) -> int:", code);

    assertThat(build(List.of(new Input(s, null))).spans().get(0).suffix())
        .isEqualTo("\ndef f(\n    a,\n    b,\n) -> int:\n    \"\"\"");
  }

  @Test
  void spansThatDoNotFitAreDeferredToAnotherBatch() {
    Batch b =
        DocCompletionPrompt.build(
            List.of(new Input(add(), null), new Input(scale(), null)), DocSpans::tokens, 40);

    assertThat(b.spans()).extracting(sp -> sp.span().name()).containsExactly("add");
    assertThat(b.deferred()).extracting(in -> in.span().name()).containsExactly("scale");
    assertThat(b.promptTokens()).isLessThanOrEqualTo(40);
  }

  @Test
  void aSpanTooLongAloneIsCutByWholeLinesWithAMarker() {
    StringBuilder code = new StringBuilder("def long(x):\n");
    for (int i = 0; i < 200; i++) {
      code.append("    x = x + ").append(i).append('\n');
    }
    code.append("    return x");
    Span s = span("m.py", "python", SpanKind.FUNCTION, "long", 1, "def long(x):", code.toString());

    Batch b = DocCompletionPrompt.build(List.of(new Input(s, null)), DocSpans::tokens, 300);

    assertThat(b.spans()).hasSize(1);
    assertThat(b.spans().get(0).cutLines()).isPositive();
    assertThat(b.prefix()).contains("    # ... (").doesNotContain("return x");
    for (String line : b.prefix().split("\n")) {
      assertThat(line).matches("|# m.py|def long\\(x\\):|    x = x \\+ \\d+|    # \\.\\.\\. .*");
    }
    assertThat(DocSpans.tokens(b.prompt(0))).isLessThanOrEqualTo(300);
  }

  @Test
  void aJavaMethodGetsAJavadocOpenerThatNamesItTheWayTheBaseModelContinues() {
    String code = "public int add(int a, int b) {\n    return a + b;\n  }";
    Span s =
        span(
            "src/Calc.java",
            "java",
            SpanKind.METHOD,
            "Calc.add",
            5,
            "public int add(int a, int b)",
            code);

    Batch b = build(List.of(new Input(s, null)));

    assertThat(b.prompt(0))
        .isEqualTo(
            "// src/Calc.java\n\npublic int add(int a, int b) {\n  return a + b;\n}\n\n/**\n * add() -");
    assertThat(b.spans().get(0).lead()).isEmpty();
    assertThat(b.spans().get(0).stop()).contains("*/");
  }

  @Test
  void eachLanguageOpensItsOwnDocComment() {
    assertThat(suffixOf("go", "func Parse(s string) error {\n\treturn nil\n}", "Parse"))
        .isEqualTo("\n// Parse() -");
    assertThat(suffixOf("rust", "fn parse(s: &str) {\n}", "parse")).isEqualTo("\n/// parse() -");
    assertThat(suffixOf("csharp", "void Parse() {\n}", "Parse"))
        .isEqualTo("\n/// <summary>\n/// Parse() -");
    assertThat(suffixOf("ruby", "def parse(s)\n  s\nend", "parse")).isEqualTo("\n# parse() -");
    assertThat(suffixOf("typescript", "function parse(s: string) {\n}", "parse"))
        .isEqualTo("\n/**\n * parse() -");
  }

  @Test
  void aLeadingDocCommentInsideTheSpansCodeIsCut() {
    String code = "/**\n * Adds.\n */\nint add(int a, int b) {\n  return a + b;\n}";
    Span s = span("a.c", "c", SpanKind.FUNCTION, "add", 1, "int add(int a, int b)", code);

    Batch b = build(List.of(new Input(s, null)));

    assertThat(b.prefix()).doesNotContain("Adds.");
    assertThat(b.spans().get(0).docstring()).isEqualTo("Adds.");
  }

  @Test
  void aBatchCoversOneFile() {
    Span other = span("b.py", "python", SpanKind.FUNCTION, "g", 1, "def g():", "def g():\n  pass");

    assertThatThrownBy(() -> build(List.of(new Input(add(), null), new Input(other, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one file");
  }

  @Test
  void factsGoInOneCommentLineAboveTheRepeatedDeclarationWhenAsked() {
    io.codegloss.core.facts.SpanFacts f =
        new io.codegloss.core.facts.SpanFacts(
            null,
            List.of(),
            "int",
            List.of(),
            List.of(new io.codegloss.core.facts.SpanFacts.Raise("ValueError", 12)),
            null,
            null,
            List.of(
                new io.codegloss.core.facts.SpanFacts.Call("check", null, 11),
                new io.codegloss.core.facts.SpanFacts.Call("log", "self", 12),
                new io.codegloss.core.facts.SpanFacts.Call("check", null, 13)),
            List.of());

    Batch b =
        DocCompletionPrompt.build(List.of(new Input(scale(), f)), DocSpans::tokens, 4000, true);

    assertThat(b.spans().get(0).suffix())
        .isEqualTo(
            "\n    # Calls: check, self.log. Raises: ValueError. Returns: int.\n"
                + "    def scale(self, factor):\n        \"\"\"");
    assertThat(
            DocCompletionPrompt.build(List.of(new Input(scale(), f)), DocSpans::tokens, 4000)
                .prompt(0))
        .doesNotContain("Calls:");
  }

  static String suffixOf(String language, String code, String name) {
    Span s = span("f", language, SpanKind.FUNCTION, name, 1, null, code);
    return build(List.of(new Input(s, null))).spans().get(0).suffix();
  }
}
