package io.codegloss.worker.llm;

import java.nio.charset.StandardCharsets;

/**
 * A deliberately high token count for backends without a tokenizer endpoint: digits one token each
 * (Gemma and Llama 3 split numbers into single digits) and two UTF-8 bytes per token for the rest.
 * Measured with Gemma 3's tokenizer, code runs at 2.4 (shell, C) to 3.7 (Java) bytes per token and
 * prose near 4, so this over-counts typical prompts by 20 to 80 per cent; three bytes per token
 * under-counted shell scripts and C. Only hand-made tables of hex literals came lower (1.6).
 */
final class TokenEstimate {

  /** Template tokens around one chat message (role markers, separators). */
  static final int PER_MESSAGE = 8;

  private TokenEstimate() {}

  static int conservative(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      }
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length - digits;
    return digits + (bytes + 1) / 2;
  }
}
