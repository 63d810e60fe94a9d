package io.codegloss.scheduler.plan;

import io.codegloss.core.report.Oversize;
import io.codegloss.core.store.JobKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The planned jobs that are too large for the fleet to take whole. */
public final class OversizeJobs {

  private OversizeJobs() {}

  /** The jobs no worker with a limit of {@code limit} tokens would fetch. */
  public static List<Oversize> of(List<PlannedBatch> batches, int limit) {
    return select(batches, limit, b -> b.jobTokens() > limit);
  }

  /**
   * The single-span jobs a worker with a limit of {@code limit} fetches but that run with their
   * code cut to fit, because they are larger than a default worker ({@link PlannedBatch#runsCut}).
   */
  public static List<Oversize> cut(List<PlannedBatch> batches, int limit) {
    return select(batches, limit, b -> b.runsCut() && b.jobTokens() <= limit);
  }

  private static List<Oversize> select(
      List<PlannedBatch> batches, int limit, Predicate<PlannedBatch> wanted) {
    List<Oversize> out = new ArrayList<>();
    for (PlannedBatch b : batches) {
      if (!wanted.test(b)) {
        continue;
      }
      List<String> symbols = b.spans().stream().map(PlanSpan::symbol).toList();
      out.add(
          new Oversize(
              b.isSingle() ? JobKind.SINGLE : JobKind.BATCH,
              b.path(),
              b.startLine(),
              b.spans().get(b.spans().size() - 1).endLine(),
              symbols,
              b.jobTokens(),
              b.spanTokens(),
              limit));
    }
    return out;
  }
}
