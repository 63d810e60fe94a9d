package io.codegloss.scheduler.plan;

import io.codegloss.core.report.Oversize;
import io.codegloss.core.store.JobKind;
import java.util.ArrayList;
import java.util.List;

/** The planned jobs that no worker with a limit of {@code limit} tokens would fetch. */
public final class OversizeJobs {

  private OversizeJobs() {}

  public static List<Oversize> of(List<PlannedBatch> batches, int limit) {
    List<Oversize> out = new ArrayList<>();
    for (PlannedBatch b : batches) {
      if (b.jobTokens() <= limit) {
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
