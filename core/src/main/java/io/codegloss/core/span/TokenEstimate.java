package io.codegloss.core.span;

/**
 * Estimates the tokens of a piece of code without a model. Gemma-style tokenizers average three and
 * a half to four UTF-8 bytes per token on source code; dividing by three over-estimates on purpose,
 * so that a batch planned with these numbers does not overflow a model's context.
 */
public final class TokenEstimate {

  private static final double BYTES_PER_TOKEN = 3.0;

  private TokenEstimate() {}

  /** The estimated tokens of {@code code}: ceil(utf8Bytes / 3), at least 1 for non-empty code. */
  public static int of(String code) {
    return ofUtf8Bytes(utf8Length(code));
  }

  /** The estimate for a text whose UTF-8 encoding is {@code utf8Bytes} long. */
  public static int ofUtf8Bytes(long utf8Bytes) {
    if (utf8Bytes <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(utf8Bytes / BYTES_PER_TOKEN));
  }

  /** UTF-8 length without encoding the string (lone surrogates count as '?', like the encoder). */
  static long utf8Length(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
