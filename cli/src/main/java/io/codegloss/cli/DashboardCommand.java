package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.config.Variable;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.dashboard.DashboardServer;
import io.codegloss.dashboard.DashboardSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "dashboard",
    description =
        "The operator's view: queue, throughput, workers, what batching saved, failures; a JSON"
            + " API (docs/dashboard-api.md). Read-only.")
final class DashboardCommand extends CliCommand {

  @Variable(DashboardSettings.PORT)
  @Option(
      names = "--port",
      paramLabel = "N",
      description = "port to listen on (CODEGLOSS_DASHBOARD_PORT, 7070)")
  @Nullable Integer port;

  @Variable(DashboardSettings.HOST)
  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "address to bind; another than loopback needs CODEGLOSS_DASHBOARD_USER/PASSWORD or CODEGLOSS_DASHBOARD_OPEN=on (CODEGLOSS_DASHBOARD_HOST, 127.0.0.1)")
  @Nullable String host;

  @Override
  boolean longRunning() {
    return true;
  }

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    DashboardSettings settings = DashboardSettings.from(s);
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "dashboard", 4)) {
      DashboardServer server = new DashboardServer(db.database(), settings);
      server.start(settings.port());
      ctx.out()
          .progress(
              "codegloss dashboard on http://"
                  + Commands.urlHost(settings.host())
                  + ":"
                  + server.port()
                  + "/ (Ctrl-C to stop)");
      Commands.awaitShutdown();
      server.stop();
    }
    return 0;
  }
}
