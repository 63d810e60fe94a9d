package io.codegloss.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** The only place that prints data: JSON for scripts, text for people. */
final class Printer {

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .findAndAddModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final PrintStream out;
  private final PrintStream err;

  Printer(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The raw stdout, for a command whose stdout is a protocol (mcp): nothing else may print. */
  PrintStream stdout() {
    return out;
  }

  void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  void line(String text) {
    out.println(safe(text));
  }

  void linef(String format, Object... args) {
    out.println(safe(String.format(java.util.Locale.ROOT, format, args)));
  }

  /** Progress and notices go to stderr so that stdout stays clean for --json. */
  void progress(String text) {
    err.println(safe(text));
    err.flush();
  }

  /**
   * Text from code and models (file names, symbols, summaries) is untrusted: an ESC or BEL in a
   * file name would otherwise drive the user's terminal (retitle it, move the cursor, hide text).
   * Control characters other than newline and tab are shown escaped as {@code \u001b}; JSON is
   * escaped by its writer.
   */
  static String safe(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control =
          (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028';
      if (control) {
        if (b == null) {
          b = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  PrintStream out() {
    return out;
  }
}
