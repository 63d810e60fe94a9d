package io.codegloss.worker.llm;

import java.time.Duration;
import java.util.List;

/**
 * A plain text continuation: the model continues {@code prompt} as a document, without chat turns
 * or a JSON schema. Base (pre-trained) models answer this shape; see {@link
 * LlmBackend#continueText}.
 *
 * @param prompt the document to continue, sent as is (the backend adds only the BOS token)
 * @param maxOutputTokens the output cap; reaching it is reported as finish reason {@code length},
 *     not as a failure
 * @param stop strings that end the continuation; the first one found and everything after it are
 *     cut from the answer
 * @param timeout the deadline for the whole call
 */
public record TextRequest(String prompt, int maxOutputTokens, List<String> stop, Duration timeout) {

  public TextRequest {
    stop = List.copyOf(stop);
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be positive");
    }
  }

  /**
   * {@code text} cut before the first stop string it contains (servers differ in whether they
   * return the stop string; llama.cpp's streaming can leave a piece of it in the last token).
   */
  String cutAtStop(String text) {
    int cut = text.length();
    for (String s : stop) {
      if (s.isEmpty()) {
        continue;
      }
      int i = text.indexOf(s);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return text.substring(0, cut);
  }
}
