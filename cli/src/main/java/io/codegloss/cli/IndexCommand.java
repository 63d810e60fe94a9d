package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.config.Variable;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.scheduler.index.IndexReport;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "index",
    description =
        "Walk PATH (honouring nested .gitignore files and default excludes), extract spans with"
            + " tree-sitter and store them incrementally; skipped files are recorded with a"
            + " reason.")
final class IndexCommand extends CliCommand {

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "the repository (default: .)")
  @Nullable String path;

  @Variable(IndexSettings.MAX_FILE_BYTES)
  @Option(
      names = "--max-file-bytes",
      paramLabel = "N",
      description = "larger files are skipped as too_large (CODEGLOSS_MAX_FILE_BYTES, 1048576)")
  @Nullable Integer maxFileBytes;

  @Option(names = "--json", description = "print the index report as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    IndexSettings index = IndexSettings.from(s);
    Path root = Commands.directory(path, ".");
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "index", 4)) {
      IndexReport report = new Indexer(db.database(), index).index(root);
      if (json) {
        ctx.out().json(report);
      } else {
        Reports.index(ctx.out(), root, report);
      }
    }
    return 0;
  }
}
