package io.codegloss.scheduler.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.queue.JobSizing;
import java.util.List;
import java.util.Locale;

/**
 * The JSON printed by {@code codegloss plan --json}:
 *
 * <pre>
 * {"batches": [{"file", "tokens", "job_tokens", "whole_job_tokens", "reason",
 *               "spans": [{"symbol", "kind", "start_line", "end_line", "tokens", "content"}]}]}
 * </pre>
 *
 * {@code tokens} of a batch is its span tokens (what {@code RAG_BATCH_MAX_TOKENS} limits); {@code
 * job_tokens} adds prompt overhead and output cap ({@link JobSizing}), the size it is enqueued at;
 * {@code whole_job_tokens} is larger only for a single span that runs with its code cut to fit a
 * default worker ({@link PlannedBatch#runsCut()}); {@code reason} is a {@link
 * CloseReason#jsonName()}; {@code content} is {@code whole} or {@code outline} ({@link
 * SpanContent}). Single-span jobs are batches of one.
 */
public final class PlanJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PlanJson() {}

  public static ObjectNode toJson(List<PlannedBatch> batches) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode array = root.putArray("batches");
    for (PlannedBatch b : batches) {
      ObjectNode batch = array.addObject();
      batch.put("file", b.path());
      batch.put("tokens", b.spanTokens());
      batch.put("job_tokens", b.jobTokens());
      batch.put("whole_job_tokens", b.wholeJobTokens());
      batch.put("reason", b.reason().jsonName());
      ArrayNode spans = batch.putArray("spans");
      for (PlanSpan s : b.spans()) {
        ObjectNode span = spans.addObject();
        span.put("symbol", s.symbol());
        span.put("kind", s.kind().dbName());
        span.put("start_line", s.startLine());
        span.put("end_line", s.endLine());
        span.put("tokens", s.tokens());
        span.put("content", s.content().name().toLowerCase(Locale.ROOT));
      }
    }
    return root;
  }

  /** {@link #toJson} as one line of text. */
  public static String render(List<PlannedBatch> batches) {
    return toJson(batches).toString();
  }
}
