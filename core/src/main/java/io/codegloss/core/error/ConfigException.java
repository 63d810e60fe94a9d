package io.codegloss.core.error;

/** A setting that is missing or invalid; the message names the variable or flag. */
public final class ConfigException extends PermanentException {

  public ConfigException(String message) {
    super(message);
  }
}
