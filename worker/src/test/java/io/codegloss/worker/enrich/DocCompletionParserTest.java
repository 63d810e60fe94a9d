package io.codegloss.worker.enrich;

import static io.codegloss.worker.enrich.DocSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.span.SpanKind;
import io.codegloss.worker.enrich.DocCompletionParser.Outcome;
import io.codegloss.worker.enrich.DocCompletionParser.Reason;
import io.codegloss.worker.enrich.DocCompletionParser.Refused;
import io.codegloss.worker.enrich.DocCompletionParser.SameAsDocstring;
import io.codegloss.worker.enrich.DocCompletionParser.Summary;
import io.codegloss.worker.enrich.DocCompletionPrompt.SpanPrompt;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DocCompletionParserTest {

  static final String PROMPT =
      "# pkg/io.py\n\ndef read_config(path):\n"
          + "    # open the file at the given path and parse every line of it\n"
          + "    with open(path) as f:\n        return parse(f)\n\n"
          + "def read_config(path):\n    \"\"\"";

  static SpanPrompt python(@Nullable String docstring) {
    return new SpanPrompt(
        span(
            "pkg/io.py",
            "python",
            SpanKind.FUNCTION,
            "read_config",
            1,
            "def read_config(path):",
            "def read_config(path):\n    pass"),
        "\ndef read_config(path):\n    \"\"\"",
        "",
        List.of("\"\"\""),
        docstring,
        0);
  }

  static SpanPrompt java() {
    return new SpanPrompt(
        span(
            "A.java",
            "java",
            SpanKind.METHOD,
            "A.parseHeader",
            1,
            "int parseHeader(String s)",
            "x"),
        "\n/**\n * parseHeader ",
        "parseHeader",
        List.of("*/"),
        null,
        0);
  }

  static Outcome py(String continuation) {
    return DocCompletionParser.parse(continuation, false, python(null), PROMPT);
  }

  @Test
  void keepsTheFirstSentenceOfTheFirstParagraph() {
    assertThat(py("Read the configuration file from disk. It must exist.\n\n    Args:\n  path"))
        .isEqualTo(new Summary("Read the configuration file from disk."));
  }

  @Test
  void keepsASecondSentenceWhenTheFirstIsShort() {
    assertThat(py("Read it. The file is parsed as TOML and cached. Then more."))
        .isEqualTo(new Summary("Read it. The file is parsed as TOML and cached."));
  }

  @Test
  void joinsTheLinesOfAParagraphAndStopsAtTheClosingQuotes() {
    assertThat(py("Read the configuration\n    file from disk.\"\"\"\n    with open"))
        .isEqualTo(new Summary("Read the configuration file from disk."));
  }

  @Test
  void aSummaryWithoutAFinalPeriodIsKeptWhenTheModelStoppedOnItsOwnAndGetsOne() {
    assertThat(py("Read the configuration file"))
        .isEqualTo(new Summary("Read the configuration file."));
  }

  @Test
  void aContinuationCutAtTheCapKeepsItsCompleteSentenceAndDropsTheRest() {
    Outcome o =
        DocCompletionParser.parse(
            "Read the configuration file at path. Each line is split on the",
            true,
            python(null),
            PROMPT);

    assertThat(o).isEqualTo(new Summary("Read the configuration file at path."));
  }

  @Test
  void aContinuationCutAtTheCapWithoutACompleteSentenceIsRefused() {
    Outcome o =
        DocCompletionParser.parse(
            "Read the configuration file and then", true, python(null), PROMPT);

    assertThat(o).isInstanceOf(Refused.class);
    assertThat(((Refused) o).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void abbreviationsDoNotEndASentence() {
    assertThat(py("Read a file, e.g. a TOML file, into a dict. More."))
        .isEqualTo(new Summary("Read a file, e.g. a TOML file, into a dict."));
  }

  @Test
  void stripsTheMarkersOfABlockCommentAndStartsWithTheNameTheOpenerWrote() {
    Outcome o =
        DocCompletionParser.parse(
            "returns the length of the\n * header in bytes.\n * @param s the text\n */",
            false,
            java(),
            "p");

    assertThat(o).isEqualTo(new Summary("parseHeader returns the length of the header in bytes."));
  }

  @Test
  void stopsAtTheFirstLineThatIsNotPartOfTheComment() {
    Outcome o =
        DocCompletionParser.parse(
            "returns the header length\n int parseHeader(String s) {", false, java(), "p");

    assertThat(o).isEqualTo(new Summary("parseHeader returns the header length."));
  }

  @Test
  void aContinuationAfterANamedOpenerBecomesACapitalisedSentence() {
    SpanPrompt sp =
        new SpanPrompt(java().span(), "\n/**\n * parseHeader() -", "", List.of("*/"), null, 0);

    assertThat(DocCompletionParser.parse(" returns the header length.\n */", false, sp, "p"))
        .isEqualTo(new Summary("Returns the header length."));
  }

  @Test
  void refusesAnEmptyContinuation() {
    assertThat(reason(py("  \n"))).isEqualTo(Reason.EMPTY);
    assertThat(reason(py("...  ---"))).isEqualTo(Reason.EMPTY);
  }

  @Test
  void refusesCode() {
    assertThat(reason(py("return parse(open(path).read())"))).isEqualTo(Reason.CODE);
    assertThat(reason(py("self.path = path; self.data = {}"))).isEqualTo(Reason.CODE);
    assertThat(reason(py("def read_config(path):"))).isEqualTo(Reason.CODE);
  }

  @Test
  void refusesACallOfTheFunctionInsteadOfProse() {
    assertThat(reason(py("read_config(path)"))).isEqualTo(Reason.CODE);
  }

  @Test
  void refusesAShortTextFoundWholeInThePrompt() {
    String prompt = PROMPT.replace("def read_config", "# Returns: dict.\ndef read_config");

    Outcome o = DocCompletionParser.parse("Returns: dict.", false, python(null), prompt);

    assertThat(reason(o)).isEqualTo(Reason.COPIED);
  }

  @Test
  void refusesTheNameEchoedAlone() {
    assertThat(reason(py("Read config."))).isEqualTo(Reason.ECHO);
    assertThat(reason(py("read_config function"))).isEqualTo(Reason.ECHO);
    assertThat(reason(DocCompletionParser.parse(" ParseHeader", false, java(), "p")))
        .isEqualTo(Reason.ECHO);
  }

  @Test
  void refusesLoops() {
    assertThat(reason(py("Read the file the file the file the file the file the file.")))
        .isEqualTo(Reason.REPETITION);
    assertThat(reason(py("Config config config config."))).isEqualTo(Reason.REPETITION);
  }

  @Test
  void refusesTextCopiedFromThePrompt() {
    assertThat(reason(py("Open the file at the given path and parse every line of it.")))
        .isEqualTo(Reason.COPIED);
  }

  @Test
  void theSpansOwnDocstringIsNotModelProse() {
    Outcome o =
        DocCompletionParser.parse(
            "Read the configuration file at path.",
            false,
            python("Read the configuration file at path.\n\nArgs: x"),
            PROMPT);

    assertThat(o).isEqualTo(new SameAsDocstring("Read the configuration file at path.\n\nArgs: x"));
  }

  @Test
  void capsTheSummaryAt120Words() {
    StringBuilder longSentence = new StringBuilder("Read");
    for (int i = 0; i < 150; i++) {
      longSentence.append(" word").append(i);
    }
    Outcome o = py(longSentence + ".");

    assertThat(o).isInstanceOf(Summary.class);
    assertThat(((Summary) o).text().split(" ")).hasSizeLessThanOrEqualTo(120);
  }

  @Test
  void splitsCamelCaseAndSnakeCaseNames() {
    assertThat(DocCompletionParser.splitName("parseHTTPHeader_fast"))
        .isEqualTo("parse HTTP Header fast");
  }

  static Reason reason(Outcome o) {
    assertThat(o).isInstanceOf(Refused.class);
    return ((Refused) o).reason();
  }
}
