package io.codegloss.worker.llm;

import java.nio.charset.StandardCharsets;

/**
 * A deliberately high token count for backends without a tokenizer endpoint. Budgeting with it
 * wastes a little context but never overflows: subword tokenizers average well above three UTF-8
 * bytes per token on code and prose, and digits, which several tokenizers (Gemma, Llama 3) split
 * one per token, are counted one each.
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
    return digits + (bytes + 2) / 3;
  }
}
