package io.codegloss.core.error;

/** A failure that may succeed when tried again later: a timeout, a 5xx, a dropped connection. */
public non-sealed class RetryableException extends CodeglossException {

  public RetryableException(String message) {
    super(message, null);
  }

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
