package io.codegloss.scheduler.index.facts;

import io.codegloss.core.db.Database;
import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.store.CallResolutionQueueTable;
import io.codegloss.core.store.FileImportTable;
import io.codegloss.core.store.SpanCallTable;
import io.codegloss.core.store.SpanCallTable.Pending;
import io.codegloss.core.store.SpanCallTable.Resolution;
import io.codegloss.core.store.SpanFactsTable;
import io.codegloss.core.store.SpanSymbolTable;
import io.codegloss.scheduler.index.extract.ExtractedSpan;
import io.codegloss.scheduler.index.extract.Extraction;
import io.codegloss.scheduler.index.extract.FactsAnalyzer;
import io.codegloss.scheduler.index.facts.CallResolver.CallSite;
import io.codegloss.scheduler.index.facts.CallResolver.SymbolRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's facts steps, kept out of the indexer so that its hunks stay small: write a file's
 * facts, calls and imports with its spans, and after a run re-resolve the calls that could have
 * changed target.
 *
 * <p>Which calls could have changed target: every call of a file written in this run (its rows are
 * new), and every call anywhere whose callee name is a name some changed or deleted file defined
 * before or defines now (a function renamed, moved, added or removed). Resolution depends on
 * nothing else than the call, its file's imports and the symbol table, so other calls keep their
 * edge.
 */
public final class IndexFacts {

  private static final Logger log = LoggerFactory.getLogger(IndexFacts.class);

  /**
   * {@code -Dcodegloss.index.facts=off} indexes without facts; it exists to measure what facts
   * cost, and stored edges go stale while it is off.
   */
  public static final String SWITCH = "codegloss.index.facts";

  private IndexFacts() {}

  public static boolean enabled() {
    return !"off".equalsIgnoreCase(System.getProperty(SWITCH, "on"));
  }

  /**
   * The names a file defines before it is rewritten; call in the file's transaction before its
   * spans are written.
   */
  public static Set<String> namesOfFiles(Connection c, Collection<Long> fileIds)
      throws SQLException {
    return SpanSymbolTable.namesOfFiles(c, fileIds);
  }

  /**
   * What a run's file transactions hand to {@link #relink}: the calls they wrote (unresolved, with
   * what the resolver needs about their callers), the imports of their files, and the names they
   * defined before or define now. Resolving these from memory saves re-reading every call of a full
   * index (320,000 rows joined with spans and files on the Python stdlib). Add a file only after
   * its transaction committed: a retried transaction would add it twice.
   */
  public static final class Run {
    private final Set<String> touchedNames = ConcurrentHashMap.newKeySet();
    private final Queue<Pending> calls = new ConcurrentLinkedQueue<>();
    private final Map<Long, String> writtenFiles = new ConcurrentHashMap<>();
    private final Map<String, List<FileImport>> imports = new ConcurrentHashMap<>();

    /** Names some file of the run defined before it was rewritten or deleted. */
    public void touched(Collection<String> names) {
      touchedNames.addAll(names);
    }

    /**
     * Takes in a later run's calls, names and files, so that one resolution covers both runs (a
     * call of a span the later run replaced updates no row).
     */
    public void absorb(Run later) {
      touchedNames.addAll(later.touchedNames);
      calls.addAll(later.calls);
      writtenFiles.putAll(later.writtenFiles);
      imports.putAll(later.imports);
    }

    public void add(FileCalls file) {
      touchedNames.addAll(file.names());
      calls.addAll(file.calls());
      writtenFiles.put(file.fileId(), file.path());
      imports.put(file.path(), file.imports());
    }
  }

  /** What one file's transaction wrote, for {@link Run#add}. */
  public record FileCalls(
      long fileId, String path, Set<String> names, List<Pending> calls, List<FileImport> imports) {}

  /**
   * Writes a file's facts, calls and imports; call in the file's transaction after its spans are
   * written.
   *
   * @param spanIds the row id of each span of the extraction, in its order
   * @return the names the file defines now and the calls written, for {@link Run#add} once the
   *     transaction committed
   */
  public static FileCalls write(
      Connection c, long repoId, long fileId, String path, Extraction extraction, long[] spanIds)
      throws SQLException {
    Set<String> names = new HashSet<>();
    List<ExtractedSpan> spans = extraction.spans();
    List<SpanFacts> facts = extraction.facts();
    List<SpanFactsTable.Entry> entries = new ArrayList<>(facts.size());
    List<SpanCallTable.SpanCalls> calls = new ArrayList<>(facts.size());
    List<Pending> pending = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      ExtractedSpan s = spans.get(i);
      names.add(s.name());
      if (i >= facts.size()) {
        continue;
      }
      SpanFacts f = facts.get(i);
      entries.add(
          new SpanFactsTable.Entry(s.startByte(), s.endByte(), s.symbol(), s.contentHash(), f));
      if (f.calls().isEmpty()) {
        continue;
      }
      calls.add(new SpanCallTable.SpanCalls(spanIds[i], f.calls()));
      for (int k = 0; k < f.calls().size(); k++) {
        pending.add(
            new Pending(
                spanIds[i],
                k,
                fileId,
                path,
                s.language(),
                s.symbol(),
                s.signature(),
                f.calls().get(k),
                null));
      }
    }
    SpanFactsTable.writeForFile(c, fileId, FactsAnalyzer.VERSION, entries);
    SpanCallTable.replaceForFile(c, repoId, fileId, calls);
    CallResolutionQueueTable.add(c, repoId, fileId);
    FileImportTable.write(c, fileId, extraction.imports());
    return new FileCalls(fileId, path, names, pending, extraction.imports());
  }

  /**
   * Re-resolves the calls that could have changed target after a run: those the run wrote (from
   * memory), and from the database those of files still queued by an earlier run and those of other
   * files calling a touched name.
   *
   * @param run what the run's files wrote
   * @param changed whether the run wrote or deleted any file
   * @param storedBefore whether the repository had files before the run; when not, every call of
   *     the repository is in {@code run}
   * @return the number of call rows whose target or state changed
   */
  public static int relink(
      Database db, long repoId, Run run, boolean changed, boolean storedBefore) {
    List<Long> queued = db.withConnection(c -> CallResolutionQueueTable.files(c, repoId));
    if (!changed && queued.isEmpty()) {
      return 0;
    }
    long started = System.nanoTime();
    return db.inTransaction(
        c -> {
          List<Pending> pending = new ArrayList<>(run.calls);
          List<Long> queuedElsewhere = new ArrayList<>();
          for (Long id : queued) {
            if (!run.writtenFiles.containsKey(id)) {
              queuedElsewhere.add(id);
            }
          }
          int fromMemory = pending.size();
          if (!queuedElsewhere.isEmpty() || (storedBefore && !run.touchedNames.isEmpty())) {
            pending.addAll(
                SpanCallTable.loadToResolve(
                    c, repoId, queuedElsewhere, run.touchedNames, run.writtenFiles.keySet()));
          }
          if (pending.isEmpty()) {
            CallResolutionQueueTable.remove(c, queued);
            return 0;
          }
          List<SymbolRow> rows = new ArrayList<>();
          for (SpanSymbolTable.Symbol s : SpanSymbolTable.load(c, repoId)) {
            rows.add(
                new SymbolRow(
                    s.spanId(),
                    s.path(),
                    s.language(),
                    s.kind(),
                    s.name(),
                    s.symbol(),
                    s.parentSymbol()));
          }
          Map<String, List<FileImport>> imports = new HashMap<>(run.imports);
          Set<Long> fileIds = new HashSet<>();
          Map<Long, String> pathOf = new HashMap<>();
          for (int i = fromMemory; i < pending.size(); i++) {
            Pending p = pending.get(i);
            fileIds.add(p.callerFileId());
            pathOf.put(p.callerFileId(), p.callerPath());
          }
          for (Map.Entry<Long, List<FileImport>> e : FileImportTable.read(c, fileIds).entrySet()) {
            imports.put(pathOf.get(e.getKey()), e.getValue());
          }
          CallResolver resolver = new CallResolver(rows, imports);
          List<Resolution> out = new ArrayList<>(pending.size());
          int linked = 0;
          for (Pending p : pending) {
            Long to;
            try {
              to =
                  resolver.resolve(
                      new CallSite(
                          p.fromSpanId(),
                          p.callerPath(),
                          p.language(),
                          p.callerSymbol(),
                          p.callerSignature(),
                          p.call()));
            } catch (RuntimeException e) {
              log.debug("resolving {} failed", p.call(), e);
              to = null;
            }
            linked += to == null ? 0 : 1;
            if (!java.util.Objects.equals(to, p.currentTarget())) {
              out.add(new Resolution(p.fromSpanId(), p.ordinal(), to));
            }
          }
          int stored = SpanCallTable.storeResolutions(c, out);
          CallResolutionQueueTable.remove(c, queued);
          log.info(
              "resolved {} calls ({} from memory, {} to a span, {} rows changed) in {} ms",
              pending.size(),
              fromMemory,
              linked,
              stored,
              (System.nanoTime() - started) / 1_000_000);
          return stored;
        });
  }
}
