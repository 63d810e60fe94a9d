package io.codegloss.core.span;

/**
 * Token counts without a model, the one place they are estimated. Two estimates for two jobs:
 *
 * <ul>
 *   <li>{@link #of}, for planning: Gemma-style tokenizers average three and a half to four UTF-8
 *       bytes per token on source code; dividing by three over-estimates typical code a little, so
 *       planned batches stay near their budget.
 *   <li>{@link #conservative}, for the last check before a prompt is sent to a backend without a
 *       tokenizer endpoint, where an overflow would be silently truncated: digits one token each
 *       (Gemma and Llama 3 split numbers into single digits) and two UTF-8 bytes per token for the
 *       rest. Measured with Gemma 3's tokenizer, code runs at 2.4 (shell, C) to 3.7 (Java) bytes
 *       per token and prose near 4, so this over-counts typical prompts by 20 to 80 per cent; three
 *       bytes per token under-counted shell scripts and C. Only hand-made tables of hex literals
 *       came lower (1.6).
 * </ul>
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

  /** A deliberately high count: see the class comment. */
  public static int conservative(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      }
    }
    long bytes = utf8Length(text) - digits;
    return (int) Math.min(Integer.MAX_VALUE, digits + (bytes + 1) / 2);
  }
}
