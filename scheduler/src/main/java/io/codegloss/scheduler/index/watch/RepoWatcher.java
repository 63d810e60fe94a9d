package io.codegloss.scheduler.index.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.codegloss.scheduler.index.walk.RepoWalker;
import io.codegloss.scheduler.index.walk.WalkScope;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches registered repositories for saved, created, moved and deleted files, so that the
 * scheduler re-indexes an edit at once instead of on its next interval. One {@link WatchService}
 * (one inotify instance on Linux) serves every repository; each folder the indexer would walk is
 * registered (ignore files and default excludes honoured, links never followed), and folders that
 * appear later are registered as they come.
 *
 * <p>Bursts are debounced: a save by an editor is several events (write, rename, attribute change)
 * within milliseconds, so the changes of one repository are handed over once it has been quiet for
 * {@code quiet}, or after {@code maxDelay} at the latest. A lost event (overflow), a changed ignore
 * file or a folder that cannot be registered hands over the whole repository instead. A repository
 * that cannot be watched (Linux's inotify limits) gets one warning and is left to the interval.
 */
public final class RepoWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RepoWatcher.class);

  /** Receives the changes of one repository, on the watcher's thread. */
  public interface Listener {
    /**
     * @param root the repository root as given to {@link #watch}
     * @param changed changed paths relative to the root, or null when the whole repository must be
     *     re-indexed (events were lost or ignore rules changed)
     */
    void changed(Path root, @Nullable Set<String> changed);
  }

  /** Above this many paths one walk of the repository is cheaper than a scoped one per path. */
  static final int MAX_PATHS = 512;

  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final RepoWalker walker;
  private final Duration quiet;
  private final Duration maxDelay;
  private final Listener listener;
  private final @Nullable WatchService service;
  private final Thread thread;

  /** Folder registrations: key to (repository, folder relative to its root). */
  private final Map<WatchKey, Dir> keys = new ConcurrentHashMap<>();

  /** Repositories being watched, and those given up (inotify limits), by root. */
  private final Set<Path> watched = ConcurrentHashMap.newKeySet();

  private final Set<Path> givenUp = ConcurrentHashMap.newKeySet();

  /** Changes not handed over yet, by repository; only the watcher thread touches these. */
  private final Map<Path, Pending> pending = new LinkedHashMap<>();

  private volatile boolean closed;

  private record Dir(Path root, String rel) {}

  private static final class Pending {
    final long firstNanos;
    long lastNanos;
    @Nullable Set<String> paths = new HashSet<>();

    Pending(long now) {
      this.firstNanos = now;
      this.lastNanos = now;
    }

    void add(String rel, long now) {
      lastNanos = now;
      if (paths != null) {
        paths.add(rel);
        if (paths.size() > MAX_PATHS) {
          paths = null;
        }
      }
    }

    void all(long now) {
      lastNanos = now;
      paths = null;
    }
  }

  /**
   * @param walker decides which folders are part of a repository (the indexer's own rules)
   * @param quiet hand changes over once a repository had no event for this long
   * @param maxDelay hand changes over at the latest this long after the first one
   */
  public RepoWatcher(RepoWalker walker, Duration quiet, Duration maxDelay, Listener listener) {
    this(walker, quiet, maxDelay, listener, () -> FileSystems.getDefault().newWatchService());
  }

  /** Where the watch service comes from (Linux: one inotify instance, which can run out). */
  interface WatchServices {
    WatchService open() throws IOException;
  }

  RepoWatcher(
      RepoWalker walker,
      Duration quiet,
      Duration maxDelay,
      Listener listener,
      WatchServices services) {
    this.walker = walker;
    this.quiet = quiet;
    this.maxDelay = maxDelay;
    this.listener = listener;
    WatchService ws;
    try {
      ws = services.open();
    } catch (IOException | UnsupportedOperationException e) {
      log.warn(
          "cannot watch repositories for edits ({}); they are re-indexed every interval only{}",
          e.getMessage(),
          inotifyHint(e));
      ws = null;
    }
    this.service = ws;
    this.thread = new Thread(this::loop, "codegloss-watch");
    thread.setDaemon(true);
    if (ws != null) {
      thread.start();
    }
  }

  /** True when the platform gave a watch service (false: the interval alone picks edits up). */
  public boolean available() {
    return service != null;
  }

  /** True while {@code root} is watched (registered and not given up). */
  public boolean watching(Path root) {
    return !closed && watched.contains(root) && !givenUp.contains(root);
  }

  /**
   * Starts watching the repository at {@code root} (a real path); does nothing when it is watched
   * already or was given up. Register before re-indexing, so that no edit falls between the two.
   */
  public void watch(Path root) {
    if (service == null || closed || watched.contains(root) || givenUp.contains(root)) {
      return;
    }
    watched.add(root);
    registerTree(root, null);
  }

  /** Registers every folder of {@code root} under {@code scope} (null: the whole repository). */
  private boolean registerTree(Path root, @Nullable WalkScope scope) {
    // A folder created after the walk listed its parent but before the parent was registered
    // gives no event: walk again until a walk finds nothing new, each after the registrations of
    // the one before (usually two walks).
    Set<String> registered = new HashSet<>();
    boolean found = true;
    while (found) {
      found = false;
      for (String rel : walker.walk(root, scope).directories()) {
        if (registered.add(rel)) {
          found = true;
          if (!register(root, rel)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private boolean register(Path root, String rel) {
    WatchService ws = service;
    if (ws == null || givenUp.contains(root)) {
      return false;
    }
    Path dir = rel.isEmpty() ? root : root.resolve(rel);
    try {
      WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      keys.put(key, new Dir(root, rel));
      return true;
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return true; // gone again before it could be registered: nothing to watch
    } catch (IOException | RuntimeException e) {
      if (closed) {
        return false;
      }
      giveUp(root, e);
      return false;
    }
  }

  /** Stops watching a repository for good: its edits wait for the interval. */
  private void giveUp(Path root, Exception e) {
    if (!givenUp.add(root)) {
      return;
    }
    log.warn(
        "cannot watch {} for edits ({}); it is re-indexed every interval only{}",
        root,
        e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(),
        inotifyHint(e));
    keys.entrySet()
        .removeIf(
            en -> {
              if (en.getValue().root().equals(root)) {
                en.getKey().cancel();
                return true;
              }
              return false;
            });
  }

  private static String inotifyHint(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("inotify")
        ? " (raise fs.inotify.max_user_watches / max_user_instances with sysctl to watch it)"
        : "";
  }

  private void loop() {
    WatchService ws = service;
    if (ws == null) {
      return;
    }
    try {
      while (!closed) {
        WatchKey key =
            pending.isEmpty() ? ws.take() : ws.poll(nextDueMillis(), TimeUnit.MILLISECONDS);
        long now = System.nanoTime();
        if (key != null) {
          handle(key, now);
          // take everything already queued before deciding what is due
          for (WatchKey k = ws.poll(); k != null; k = ws.poll()) {
            handle(k, now);
          }
        }
        flushDue(System.nanoTime());
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn(
          "watching repositories stopped ({}); edits are picked up every interval", e.toString());
      log.debug("watcher failure", e);
    }
  }

  private long nextDueMillis() {
    long now = System.nanoTime();
    long due = Long.MAX_VALUE;
    for (Pending p : pending.values()) {
      due = Math.min(due, dueNanos(p));
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now) + 1);
  }

  private long dueNanos(Pending p) {
    return Math.min(p.lastNanos + quiet.toNanos(), p.firstNanos + maxDelay.toNanos());
  }

  private void handle(WatchKey key, long now) {
    Dir dir = keys.get(key);
    List<WatchEvent<?>> events = key.pollEvents();
    if (dir == null) {
      key.cancel();
      return;
    }
    Pending p = pending.computeIfAbsent(dir.root(), r -> new Pending(now));
    for (WatchEvent<?> event : events) {
      if (event.kind() == OVERFLOW) {
        // events were lost: only a whole re-index knows what changed
        p.all(now);
        continue;
      }
      Path name = (Path) event.context();
      String rel = dir.rel().isEmpty() ? name.toString() : dir.rel() + "/" + name;
      String file = name.toString();
      if (file.equals(".gitignore")) {
        // other files are now in or out: walk everything, and register what came in
        p.all(now);
        registerTree(dir.root(), null);
        continue;
      }
      p.add(rel, now);
      if (event.kind() == ENTRY_CREATE
          && Files.isDirectory(dir.root().resolve(rel), NO_FOLLOW)
          && !registerTree(dir.root(), new WalkScope(Set.of(rel)))) {
        p.all(now);
      }
    }
    if (!key.reset()) {
      keys.remove(key); // the folder is gone; its parent reported the deletion
    }
  }

  private void flushDue(long now) {
    Map<Path, @Nullable Set<String>> due = new HashMap<>();
    pending
        .entrySet()
        .removeIf(
            en -> {
              if (dueNanos(en.getValue()) <= now) {
                Set<String> paths = en.getValue().paths;
                due.put(en.getKey(), paths == null ? null : Set.copyOf(paths));
                return true;
              }
              return false;
            });
    due.forEach(
        (root, paths) -> {
          try {
            listener.changed(root, paths);
          } catch (RuntimeException e) {
            log.warn("handling edits of {} failed: {}", root, e.toString());
            log.debug("listener failure", e);
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    WatchService ws = service;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        log.debug("closing the watch service", e);
      }
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
