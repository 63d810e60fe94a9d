package io.codegloss.cli;

import io.codegloss.bench.Bench;
import io.codegloss.bench.BenchFlags;
import io.codegloss.core.config.Settings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "bench",
    description = {
      "Batched against one-span-per-call enrichment on the same spans, plus queue scaling.",
      "Enriches the same spans once per mode, each in a fresh database, with the same model and"
          + " worker limits, and reports calls, tokens, time, validity, cost against the floor"
          + " and quality per mode, plus the queue's own overhead and its scaling with worker"
          + " processes."
    })
final class BenchCommand extends CliCommand {

  @Mixin BenchFlags bench;

  @Override
  boolean longRunning() {
    return true;
  }

  @Override
  int run(Context ctx) {
    Map<String, String> env = new HashMap<>(ctx.env());
    // the benchmark's worker processes read the same config file as the benchmark itself
    env.put(Settings.CONFIG, configFile(ctx).toString());
    return Bench.run(bench.options(SettingFlags.values(spec)), env, ctx.out().out(), ctx.err());
  }
}
