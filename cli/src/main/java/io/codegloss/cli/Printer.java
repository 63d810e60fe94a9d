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

  void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  void line(String text) {
    out.println(text);
  }

  void linef(String format, Object... args) {
    out.println(String.format(java.util.Locale.ROOT, format, args));
  }

  /** Progress and notices go to stderr so that stdout stays clean for --json. */
  void progress(String text) {
    err.println(text);
    err.flush();
  }

  PrintStream out() {
    return out;
  }
}
