package io.codegloss.core.db;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second codegloss "process" for the tests: opens the embedded server of the home given as
 * argument, prints "port startedHere", holds it until stdin closes, then closes its handle.
 */
public final class EmbeddedPostgresChild {

  private EmbeddedPostgresChild() {}

  public static void main(String[] args) throws IOException {
    EmbeddedPostgres.Options options =
        EmbeddedPostgres.Options.of(Path.of(args[0])).withBinariesCache(Path.of(args[1]));
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(options)) {
      System.out.println(pg.port() + " " + pg.startedHere());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the server until the parent closes our stdin
      }
    }
  }
}
