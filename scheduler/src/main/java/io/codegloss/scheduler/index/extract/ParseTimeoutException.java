package io.codegloss.scheduler.index.extract;

/** The parser ran past its time limit on one file; the indexer skips that file with a reason. */
public final class ParseTimeoutException extends Exception {

  public ParseTimeoutException(String message) {
    super(message);
  }
}
