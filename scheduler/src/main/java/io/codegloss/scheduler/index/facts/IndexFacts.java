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
import java.util.Set;
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
   * Writes a file's facts, calls and imports; call in the file's transaction after its spans are
   * written.
   *
   * @return the names the file defines now
   */
  public static Set<String> write(Connection c, long repoId, long fileId, Extraction extraction)
      throws SQLException {
    Set<String> names = new HashSet<>();
    List<ExtractedSpan> spans = extraction.spans();
    List<SpanFacts> facts = extraction.facts();
    List<SpanFactsTable.Entry> entries = new ArrayList<>(facts.size());
    List<SpanCallTable.SpanCalls> calls = new ArrayList<>(facts.size());
    for (int i = 0; i < spans.size(); i++) {
      ExtractedSpan s = spans.get(i);
      names.add(s.name());
      if (i >= facts.size()) {
        continue;
      }
      SpanFacts f = facts.get(i);
      entries.add(
          new SpanFactsTable.Entry(s.startByte(), s.endByte(), s.symbol(), s.contentHash(), f));
      calls.add(new SpanCallTable.SpanCalls(s.startByte(), s.endByte(), s.symbol(), f.calls()));
    }
    SpanFactsTable.writeForFile(c, fileId, FactsAnalyzer.VERSION, entries);
    SpanCallTable.replaceForFile(c, repoId, fileId, calls);
    CallResolutionQueueTable.add(c, repoId, fileId);
    FileImportTable.write(c, fileId, extraction.imports());
    return names;
  }

  /**
   * Re-resolves the calls that could have changed target after a run.
   *
   * @param touchedNames names defined before or after by the files this run wrote or deleted
   * @param changed whether the run wrote or deleted any file
   * @return the number of call rows whose target or state changed
   */
  public static int relink(Database db, long repoId, Set<String> touchedNames, boolean changed) {
    List<Long> queued = db.withConnection(c -> CallResolutionQueueTable.files(c, repoId));
    if (!changed && queued.isEmpty()) {
      return 0;
    }
    long started = System.nanoTime();
    return db.inTransaction(
        c -> {
          List<Pending> pending = SpanCallTable.loadToResolve(c, repoId, queued, touchedNames);
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
          Set<Long> fileIds = new HashSet<>();
          Map<Long, String> pathOf = new HashMap<>();
          for (Pending p : pending) {
            fileIds.add(p.callerFileId());
            pathOf.put(p.callerFileId(), p.callerPath());
          }
          Map<String, List<FileImport>> imports = new HashMap<>();
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
              "resolved {} calls ({} to a span, {} rows changed) in {} ms",
              pending.size(),
              linked,
              stored,
              (System.nanoTime() - started) / 1_000_000);
          return stored;
        });
  }
}
