package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.error.PermanentException;
import io.codegloss.scheduler.index.RepoQueries;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "spans",
    description = "List the spans of the repository containing the current directory, or of FILE.")
final class SpansCommand extends CliCommand {

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "one file of the repository")
  @Nullable String file;

  @Option(names = "--json", description = "print as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    Path cwd = Path.of("").toAbsolutePath();
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "spans", 2)) {
      RepoQueries q = new RepoQueries(db.database());
      Path anchor = file == null ? cwd : cwd.resolve(file).normalize();
      long repoId =
          q.repoIdFor(anchor)
              .orElseThrow(
                  () ->
                      new PermanentException(
                          anchor
                              + " is not inside an indexed repository (run 'codegloss index PATH')"));
      Path root =
          q.status().stream()
              .filter(r -> r.repoId() == repoId)
              .map(r -> Path.of(r.root()))
              .findFirst()
              .orElseThrow();
      String relative = file == null ? null : root.relativize(anchor).toString().replace('\\', '/');
      var spans = q.spans(root, relative);
      if (json) {
        ctx.out().json(spans);
      } else {
        Reports.spans(ctx.out(), spans);
      }
    }
    return 0;
  }
}
