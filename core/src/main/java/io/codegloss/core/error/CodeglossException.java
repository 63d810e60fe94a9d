package io.codegloss.core.error;

/**
 * The one unchecked root for every failure codegloss reports. Foreign exceptions (SQLException,
 * IOException, tree-sitter, llama.cpp, HTTP) are translated into one of its two branches at the
 * boundary where they occur, so that callers only ever decide "try again later" or "give up".
 */
public abstract sealed class CodeglossException extends RuntimeException
    permits RetryableException, PermanentException {

  protected CodeglossException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A one-line message fit for an operator's console: no class names, no stack trace. */
  public String oneLine() {
    String m = getMessage();
    return m == null ? getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
