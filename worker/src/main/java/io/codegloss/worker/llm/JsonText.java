package io.codegloss.worker.llm;

/** Repairs of constrained-decoding output that keep its meaning. */
final class JsonText {

  private JsonText() {}

  /**
   * Escapes raw control characters (U+0000 to U+001F) inside JSON string literals. JSON forbids
   * them there, yet llama-cpp-python 0.3.x's schema grammar lets them through (its string rule is
   * {@code [^"\\]}), so a constrained answer can hold a raw newline inside a value. Escaping it is
   * what the model meant; text without such characters is returned unchanged.
   */
  static String escapeControlCharsInStrings(String text) {
    StringBuilder out = null;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = null;
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        } else if (c < 0x20) {
          replacement =
              switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> String.format("\\u%04x", (int) c);
              };
        }
      } else if (c == '"') {
        inString = true;
      }
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
