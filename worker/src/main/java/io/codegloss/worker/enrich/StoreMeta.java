package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.store.JobKind;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything stored beside an enrichment that does not come from the model's answer.
 *
 * @param model the model name; part of the key, so outputs of different models never mix
 * @param backend embedded, ollama or openai
 * @param promptVersion part of the key; normally {@link EnrichmentSchema#PROMPT_VERSION}
 * @param schemaVersion normally {@link EnrichmentSchema#SCHEMA_VERSION}
 * @param generation the repository generation the job was planned for
 * @param mode the kind of job the note was written in
 * @param worker the worker name
 * @param jobId the JobRunr job id, or null outside a job
 * @param notes call-level notes (e.g. code cut to fit); per-item notes are added by the store
 */
public record StoreMeta(
    String model,
    String backend,
    int promptVersion,
    int schemaVersion,
    int generation,
    JobKind mode,
    String worker,
    @Nullable UUID jobId,
    List<String> notes) {

  public StoreMeta {
    notes = List.copyOf(notes);
  }

  /** Meta with the current prompt and schema versions and no notes. */
  public static StoreMeta of(
      String model,
      String backend,
      int generation,
      JobKind mode,
      String worker,
      @Nullable UUID jobId) {
    return new StoreMeta(
        model,
        backend,
        EnrichmentSchema.PROMPT_VERSION,
        EnrichmentSchema.SCHEMA_VERSION,
        generation,
        mode,
        worker,
        jobId,
        List.of());
  }

  public StoreMeta withNotes(List<String> more) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return new StoreMeta(
        model, backend, promptVersion, schemaVersion, generation, mode, worker, jobId, all);
  }
}
