package io.codegloss.core.error;

/**
 * A failure that will fail the same way when tried again: a bad setting, a prompt that overflows
 * the model's context, a schema from a newer codegloss. A job that throws one is not retried.
 */
public non-sealed class PermanentException extends CodeglossException {

  public PermanentException(String message) {
    super(message, null);
  }

  public PermanentException(String message, Throwable cause) {
    super(message, cause);
  }
}
