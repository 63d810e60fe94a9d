package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrinterTest {

  @Test
  void controlCharactersFromFileNamesAreShownEscapedNeverSentToTheTerminal() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Printer p =
        new Printer(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    p.line("app/\u001b]0;pwned\u0007evil.py:1-2  function f");
    p.progress("indexed \u009b31m red");

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007");
    assertThat(text).contains("app/\\u001b]0;pwned\\u0007evil.py:1-2");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("\u009b")
        .contains("\\u009b31m");
  }

  @Test
  void ordinaryTextNewlinesTabsAndUnicodeStayAsTheyAre() {
    String text = "café.py\tsummary\nsecond line — ok";
    assertThat(Printer.safe(text)).isSameAs(text);
  }
}
