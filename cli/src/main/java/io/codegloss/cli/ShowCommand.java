package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.note.SpanNotes;
import io.codegloss.scheduler.index.RepoQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description =
        "Print a span's enrichment readably, with related spans both ways: by symbol (for example"
            + " User.set_email), by FILE (every span of it) or by FILE:LINE (the innermost span"
            + " around the line).")
final class ShowCommand extends CliCommand {

  private static final Pattern FILE_LINE = Pattern.compile("^(.*):(\\d+)$");

  @Parameters(paramLabel = "SYMBOL|FILE[:LINE]", description = "what to show")
  String what;

  @Option(names = "--json", description = "print the stored enrichment as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    requireLineNumber(what);
    Settings s = settings(ctx);
    Path cwd = Path.of("").toAbsolutePath();
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "show", 2)) {
      RepoQueries q = new RepoQueries(db.database());
      long repoId =
          q.repoIdFor(cwd)
              .or(() -> q.repoIdFor(cwd.resolve(what.replaceAll(":\\d+$", "")).normalize()))
              .orElseThrow(
                  () ->
                      new PermanentException(
                          "run 'show' inside an indexed repository (or index one first)"));
      String query = what;
      String file = what.replaceAll(":\\d+$", "");
      Path asPath = cwd.resolve(file).normalize();
      if (Files.isRegularFile(asPath)) {
        // A file given by path (absolute or from here) is looked up relative to its repository.
        Path root =
            q.status().stream()
                .filter(r -> r.repoId() == repoId)
                .map(r -> Path.of(r.root()))
                .findFirst()
                .orElseThrow();
        query =
            root.relativize(asPath).toString().replace('\\', '/') + what.substring(file.length());
      }
      var shown = SpanNotes.show(db.database(), repoId, query);
      if (shown.isEmpty()) {
        throw new PermanentException("no span matches '" + what + "' (try 'codegloss spans')");
      }
      if (json) {
        ctx.out().json(shown);
      } else {
        ctx.out().line(shown.render());
      }
    }
    return 0;
  }

  /** A FILE:LINE whose line is no line number (too large to be one) is a usage error. */
  static void requireLineNumber(String what) {
    Matcher m = FILE_LINE.matcher(what.strip());
    if (!m.matches()) {
      return;
    }
    try {
      Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "invalid line number '"
              + m.group(2)
              + "' in '"
              + what
              + "': expected at most "
              + Integer.MAX_VALUE);
    }
  }
}
