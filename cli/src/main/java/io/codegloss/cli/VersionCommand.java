package io.codegloss.cli;

import picocli.CommandLine.Command;

/** {@code codegloss version}, kept from before {@code --version} existed. */
@Command(name = "version", hidden = true, description = "Print the version.")
final class VersionCommand extends CliCommand {

  @Override
  int run(Context ctx) {
    ctx.out().line("codegloss " + CodeglossMain.VERSION);
    return 0;
  }
}
