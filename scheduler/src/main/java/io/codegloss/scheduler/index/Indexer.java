package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.store.FileTable;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanTable;
import io.codegloss.scheduler.index.IndexStore.SpanCounts;
import io.codegloss.scheduler.index.extract.Extraction;
import io.codegloss.scheduler.index.extract.ParseTimeoutException;
import io.codegloss.scheduler.index.extract.SpanExtractor;
import io.codegloss.scheduler.index.facts.IndexFacts;
import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.index.walk.SkipReason;
import io.codegloss.scheduler.index.walk.SkippedFile;
import io.codegloss.scheduler.index.walk.SourceFile;
import io.codegloss.scheduler.index.walk.WalkResult;
import io.codegloss.scheduler.index.walk.WalkScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes a repository into the database: walks it, skips unchanged files cheaply (size and mtime,
 * then content hash), parses changed files on several threads (one parser each), and writes each
 * file with its spans in one transaction. Spans are matched with the stored ones (see {@link
 * SpanDiff}) so that unchanged code keeps its row and enrichment.
 */
public final class Indexer {

  private static final Logger log = LoggerFactory.getLogger(Indexer.class);

  /**
   * A file modified this close to the start of the run may change again within the same mtime tick;
   * its mtime is not trusted, so that the next run compares its content instead.
   */
  private static final long RACY_WINDOW_MS = 2_000;

  private static final long UNTRUSTED_MTIME = -1;

  private final Database db;
  private final IndexSettings settings;

  public Indexer(Database db, IndexSettings settings) {
    this.db = db;
    this.settings = settings;
  }

  /** What happened to one file that needed a look at its content. */
  private sealed interface FileResult {}

  private record Written(
      String path,
      SpanCounts counts,
      boolean parseErrors,
      int repairedBytes,
      boolean declaredEncoding,
      @Nullable String warning)
      implements FileResult {}

  private record Unchanged(String path) implements FileResult {}

  private record Skipped(SkippedFile skip) implements FileResult {}

  private record Gone(String path) implements FileResult {}

  /**
   * Indexes (or re-indexes) the repository at {@code root}.
   *
   * @throws PermanentException when {@code root} is not a readable directory
   * @throws CodeglossException when the database fails; files written so far stay consistent
   */
  public IndexReport index(Path root) {
    return index(root, null);
  }

  /**
   * Re-indexes only {@code changedPaths} of the repository at {@code root}: the files and folders a
   * watcher saw change (relative to the root, '/' separated). A path that is gone removes its
   * stored files; a folder covers everything below it. What lies outside is neither walked nor
   * touched, so an edit costs its own file, not a walk of the repository.
   *
   * @param changedPaths the changed paths, or null for the whole repository
   * @throws PermanentException when {@code root} is not a readable directory
   * @throws CodeglossException when the database fails; files written so far stay consistent
   */
  public IndexReport index(Path root, @Nullable Set<String> changedPaths) {
    return run(root, changedPaths, false).report();
  }

  /**
   * The calls a run wrote but left unresolved ({@link #indexDeferringCalls}): {@link
   * #resolve(OwedCalls)} resolves them; several runs' debts merge into one resolution.
   */
  public record OwedCalls(long repoId, IndexFacts.Run run, boolean changed, boolean storedBefore) {

    /** This debt and a later run's of the same repository, resolved together. */
    public OwedCalls merge(OwedCalls later) {
      if (later.repoId != repoId) {
        throw new IllegalArgumentException("calls of two repositories: " + repoId + ", " + later);
      }
      IndexFacts.Run both = new IndexFacts.Run();
      both.absorb(run);
      both.absorb(later.run);
      return new OwedCalls(repoId, both, changed || later.changed, storedBefore);
    }
  }

  /** A run whose call resolution was left for later; {@code owed} null when facts are off. */
  public record DeferredRun(IndexReport report, @Nullable OwedCalls owed) {}

  /**
   * {@link #index(Path, Set)} without the call resolution at its end: the changed spans are pending
   * (their files committed) when this returns, and the repository-wide resolution of calls (seconds
   * on a large repository) can run later, merged with that of other edits, while the next edit is
   * already being written. Until it runs, calls of the changed files keep their old targets; their
   * files stay in the call-resolution queue, so a crash leaves nothing unresolved for good.
   */
  public DeferredRun indexDeferringCalls(Path root, Set<String> changedPaths) {
    return run(root, changedPaths, true);
  }

  /** Resolves what {@link #indexDeferringCalls} left (IndexFacts.relink). */
  public int resolve(OwedCalls owed) {
    return IndexFacts.relink(db, owed.repoId(), owed.run(), owed.changed(), owed.storedBefore());
  }

  private DeferredRun run(Path root, @Nullable Set<String> changedPaths, boolean deferCalls) {
    WalkScope scope = changedPaths == null ? null : new WalkScope(changedPaths);
    long started = System.nanoTime();
    long runStartMs = System.currentTimeMillis();
    Path real = resolveRoot(root);
    String name = real.getFileName() == null ? real.toString() : real.getFileName().toString();

    long repoId =
        db.inTransaction(
            c -> {
              return RepositoryTable.upsert(c, real.toString(), name);
            });
    Map<String, FileTable.Stored> stored = db.withConnection(c -> FileTable.byPath(c, repoId));
    Map<String, SkippedFile> skippedBefore =
        db.withConnection(c -> IndexStore.loadSkipped(c, repoId));

    WalkResult walk =
        new RepoWalker(settings.maxFileBytes(), settings.extraExcludes()).walk(real, scope);

    Set<String> seen = new HashSet<>();
    List<SourceFile> toRead = new ArrayList<>();
    for (SourceFile f : walk.files()) {
      seen.add(f.path());
      FileTable.Stored s = stored.get(f.path());
      if (s != null
          && s.sizeBytes() == f.size()
          && s.mtimeMs() == f.mtimeMs()
          && s.language().equals(f.language().id())) {
        continue;
      }
      toRead.add(f);
    }
    Map<String, Long> toDelete = new TreeMap<>();
    for (FileTable.Stored s : stored.values()) {
      if (!seen.contains(s.path()) && (scope == null || scope.includes(s.path()))) {
        toDelete.put(s.path(), s.id());
      }
    }
    SpanPool pool =
        !toDelete.isEmpty() && !toRead.isEmpty()
            ? new SpanPool(db.withConnection(c -> SpanTable.ofFiles(c, toDelete.values())))
            : SpanPool.EMPTY;

    boolean facts = IndexFacts.enabled();
    // The calls this run writes and the names its files defined before or after (see IndexFacts).
    IndexFacts.Run factsRun = facts ? new IndexFacts.Run() : null;
    List<FileResult> results = readAndWrite(repoId, toRead, stored, pool, runStartMs, factsRun);

    Map<String, SkippedFile> skippedNow = new TreeMap<>();
    if (scope != null) {
      // what the walk did not look at stays as it was recorded
      skippedBefore.forEach(
          (path, s) -> {
            if (!scope.includes(path) && !scope.includes(stripSlash(path))) {
              skippedNow.put(path, s);
            }
          });
    }
    for (SkippedFile s : walk.skipped()) {
      skippedNow.put(s.path(), s);
    }
    int changed = 0;
    int parseErrors = 0;
    int repairedFiles = 0;
    int declaredEncodingFiles = 0;
    int added = 0;
    int edited = 0;
    int moved = 0;
    int removed = 0;
    for (FileResult r : results) {
      if (r instanceof Written w) {
        changed++;
        parseErrors += w.parseErrors() ? 1 : 0;
        if (w.repairedBytes() > 0) {
          repairedFiles++;
        }
        if (w.declaredEncoding()) {
          declaredEncodingFiles++;
        }
        if (w.warning() != null) {
          log.warn("{}: {}; its spans are indexed", w.path(), w.warning());
        }
        added += w.counts().added();
        edited += w.counts().changed();
        moved += w.counts().moved();
        removed += w.counts().removed();
      } else if (r instanceof Skipped s) {
        skippedNow.put(s.skip().path(), s.skip());
        FileTable.Stored old = stored.get(s.skip().path());
        if (old != null) {
          toDelete.put(old.path(), old.id());
        }
      } else if (r instanceof Gone g) {
        FileTable.Stored old = stored.get(g.path());
        if (old != null) {
          toDelete.put(old.path(), old.id());
        }
      }
    }

    int removedWithFiles =
        db.inTransaction(
            c -> {
              FileTable.relaxDurability(c);
              if (factsRun != null) {
                factsRun.touched(IndexFacts.namesOfFiles(c, toDelete.values()));
              }
              return IndexStore.deleteFiles(c, toDelete.values());
            });
    OwedCalls owed = null;
    if (factsRun != null) {
      owed = new OwedCalls(repoId, factsRun, changed > 0 || !toDelete.isEmpty(), !stored.isEmpty());
      if (!deferCalls) {
        resolve(owed);
        owed = null;
      }
    }
    long spansTotal =
        db.inTransaction(
            c -> {
              IndexStore.syncSkipped(c, repoId, skippedBefore, skippedNow);
              return IndexStore.finishRun(c, repoId);
            });

    double seconds = (System.nanoTime() - started) / 1e9;
    IndexReport report =
        new IndexReport(
            repoId,
            real.toString(),
            walk.files().size(),
            changed,
            toDelete.size(),
            parseErrors,
            repairedFiles,
            declaredEncodingFiles,
            skippedNow.values().stream().sorted(Comparator.comparing(SkippedFile::path)).toList(),
            spansTotal,
            added,
            edited,
            moved,
            removed + removedWithFiles,
            Math.round(seconds * 1000) / 1000.0);
    log.info(
        "indexed {}: {} files scanned, {} changed, {} removed, {} skipped; spans +{} ~{} >{} -{}"
            + " (total {}) in {} s",
        real,
        report.filesScanned(),
        report.filesChanged(),
        report.filesRemoved(),
        report.filesSkipped().size(),
        report.spansAdded(),
        report.spansChanged(),
        report.spansMoved(),
        report.spansRemoved(),
        report.spansTotal(),
        report.seconds());
    return new DeferredRun(report, owed);
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Path resolveRoot(Path root) {
    Path real;
    try {
      real = root.toAbsolutePath().normalize().toRealPath();
    } catch (IOException e) {
      throw new PermanentException("cannot index " + root + ": no such directory", e);
    }
    if (!Files.isDirectory(real)) {
      throw new PermanentException("cannot index " + root + ": not a directory");
    }
    return real;
  }

  private List<FileResult> readAndWrite(
      long repoId,
      List<SourceFile> files,
      Map<String, FileTable.Stored> stored,
      SpanPool pool,
      long runStartMs,
      IndexFacts.@Nullable Run factsRun) {
    if (files.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(settings.threads(), files.size());
    Queue<SpanExtractor> extractors = new ConcurrentLinkedQueue<>();
    ThreadLocal<SpanExtractor> extractor =
        ThreadLocal.withInitial(
            () -> {
              SpanExtractor e = new SpanExtractor(settings.parseTimeoutMillis(), factsRun != null);
              extractors.add(e);
              return e;
            });
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool0 =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "codegloss-index-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    List<FileResult> results = new ArrayList<>(files.size());
    try {
      List<Future<FileResult>> futures = new ArrayList<>(files.size());
      // Big files first, so that the last thread does not start the slowest parse at the end.
      List<SourceFile> ordered = new ArrayList<>(files);
      ordered.sort(Comparator.comparingLong(SourceFile::size).reversed());
      for (SourceFile f : ordered) {
        futures.add(
            pool0.submit(
                () ->
                    indexFile(
                        repoId,
                        f,
                        stored.get(f.path()),
                        extractor.get(),
                        pool,
                        runStartMs,
                        factsRun)));
      }
      for (Future<FileResult> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentException("indexing was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CodeglossException ce) {
        throw ce;
      }
      throw new PermanentException("indexing failed: " + cause, cause);
    } finally {
      pool0.shutdownNow();
      try {
        pool0.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      extractors.forEach(SpanExtractor::close);
    }
    return results;
  }

  private FileResult indexFile(
      long repoId,
      SourceFile f,
      FileTable.@Nullable Stored old,
      SpanExtractor extractor,
      SpanPool pool,
      long runStartMs,
      IndexFacts.@Nullable Run factsRun) {
    SourceContent.Read read =
        SourceContent.read(f.absolute(), settings.maxFileBytes(), f.language());
    if (read instanceof SourceContent.Gone) {
      return new Gone(f.path());
    }
    if (read instanceof SourceContent.Skip s) {
      return new Skipped(SkippedFile.of(f.path(), s.reason(), s.detail()));
    }
    SourceContent.Text text = (SourceContent.Text) read;
    long mtime = f.mtimeMs() >= runStartMs - RACY_WINDOW_MS ? UNTRUSTED_MTIME : f.mtimeMs();
    // the file's own size: the walker compares it on the next run (a decoded file's UTF-8 differs)
    long size = text.fileBytes();
    if (old != null
        && old.contentHash().equals(text.sha256())
        && old.language().equals(f.language().id())) {
      db.inTransaction(
          c -> {
            FileTable.touch(c, old.id(), size, mtime);
          });
      return new Unchanged(f.path());
    }
    Extraction extraction;
    try {
      extraction = extractor.extract(f.language(), text.bytes(), text.text());
    } catch (ParseTimeoutException e) {
      return new Skipped(SkippedFile.of(f.path(), SkipReason.PARSE_FAILED, e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      // one pathological file (a tree too deep for a recursive walk) costs its own spans only
      log.warn("parsing {} failed", f.path(), e);
      return new Skipped(
          SkippedFile.of(f.path(), SkipReason.PARSE_FAILED, "parser error: " + e.getMessage()));
    }
    FileTable.Row row =
        new FileTable.Row(
            f.path(),
            f.language().id(),
            size,
            mtime,
            text.sha256(),
            text.lineCount(),
            extraction.parseErrors());
    record Committed(
        SpanCounts counts, Set<String> namesBefore, IndexFacts.@Nullable FileCalls calls) {}
    Committed committed =
        db.inTransaction(
            c -> {
              FileTable.relaxDurability(c);
              long fileId = FileTable.upsert(c, repoId, row);
              Set<String> namesBefore =
                  factsRun != null && old != null
                      ? IndexFacts.namesOfFiles(c, List.of(fileId))
                      : Set.of();
              IndexStore.SpanWrite written =
                  IndexStore.writeSpans(c, repoId, fileId, extraction.spans(), pool);
              IndexFacts.FileCalls calls =
                  factsRun == null
                      ? null
                      : IndexFacts.write(c, repoId, fileId, f.path(), extraction, written.ids());
              return new Committed(written.counts(), namesBefore, calls);
            });
    if (factsRun != null && committed.calls() != null) {
      factsRun.touched(committed.namesBefore());
      factsRun.add(committed.calls());
    }
    return new Written(
        f.path(),
        committed.counts(),
        extraction.parseErrors(),
        text.repairedBytes(),
        text.encoding() != null,
        text.warning());
  }
}
