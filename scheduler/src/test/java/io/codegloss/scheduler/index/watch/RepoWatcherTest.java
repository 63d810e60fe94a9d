package io.codegloss.scheduler.index.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.scheduler.index.walk.RepoWalker;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the watcher hands the scheduler: changed paths per burst, or the whole repository. */
class RepoWatcherTest {

  @TempDir Path tmp;
  private Path repo;
  private RepoWatcher watcher;

  /** Each hand-over; an empty Optional stands for "the whole repository". */
  private final List<Optional<Set<String>>> handed =
      Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void watchARepository() throws Exception {
    repo = Files.createDirectory(tmp.resolve("repo")).toRealPath();
    Files.createDirectories(repo.resolve("app"));
    Files.createDirectories(repo.resolve("node_modules/lib"));
    Files.writeString(repo.resolve("app/a.py"), "def a():\n    return 1\n");
    watcher =
        new RepoWatcher(
            new RepoWalker(1 << 20, List.of()),
            Duration.ofMillis(75),
            Duration.ofMillis(400),
            (root, changed) -> {
              assertThat(root).isEqualTo(repo);
              handed.add(Optional.ofNullable(changed));
            });
    watcher.watch(repo);
    assertThat(watcher.watching(repo)).isTrue();
  }

  @AfterEach
  void close() {
    watcher.close();
  }

  private boolean handedPath(String path) {
    synchronized (handed) {
      return handed.stream().anyMatch(h -> h.isPresent() && h.get().contains(path));
    }
  }

  @Test
  void aBurstOfWritesToOneFileIsHandedOverOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(repo.resolve("app/a.py"), "def a():\n    return " + i + "\n");
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> handedPath("app/a.py"));
    assertThat(handed).hasSize(1);
    assertThat(handed.get(0)).contains(Set.of("app/a.py"));
  }

  @Test
  void aChangedIgnoreFileHandsOverTheWholeRepository() throws Exception {
    Files.writeString(repo.resolve(".gitignore"), "app/\n");

    await().atMost(Duration.ofSeconds(10)).until(() -> handed.contains(Optional.empty()));
  }

  @Test
  void aNewFolderIsWatchedAndExcludedFoldersAreNot() throws Exception {
    Files.createDirectories(repo.resolve("lib/deep"));
    await().atMost(Duration.ofSeconds(10)).until(() -> handedPath("lib"));

    Files.writeString(repo.resolve("node_modules/lib/x.js"), "function x() {}\n");
    Files.writeString(repo.resolve("lib/deep/b.py"), "def b():\n    return 1\n");

    await().atMost(Duration.ofSeconds(10)).until(() -> handedPath("lib/deep/b.py"));
    synchronized (handed) {
      assertThat(handed)
          .allSatisfy(
              h -> assertThat(h.orElse(Set.of())).noneMatch(p -> p.startsWith("node_modules")));
    }
  }

  @Test
  void noWatchServiceLeavesEveryRepositoryToTheInterval() throws Exception {
    try (RepoWatcher none =
        new RepoWatcher(
            new RepoWalker(1 << 20, List.of()),
            Duration.ofMillis(75),
            Duration.ofMillis(400),
            (root, changed) -> handed.add(Optional.ofNullable(changed)),
            () -> {
              throw new IOException(
                  "User limit of inotify instances reached or too many open files");
            })) {
      none.watch(repo);

      assertThat(none.available()).isFalse();
      assertThat(none.watching(repo)).isFalse();
    }
  }

  @Test
  void aFolderThatCannotBeRegisteredGivesTheRepositoryUpWithoutACrash() throws Exception {
    // a watch service of another provider: every registration fails, as one over inotify's
    // max_user_watches does
    WatchService foreign = new ForeignWatchService();
    try (RepoWatcher failing =
        new RepoWatcher(
            new RepoWalker(1 << 20, List.of()),
            Duration.ofMillis(75),
            Duration.ofMillis(400),
            (root, changed) -> handed.add(Optional.ofNullable(changed)),
            () -> foreign)) {
      failing.watch(repo);

      assertThat(failing.available()).isTrue();
      assertThat(failing.watching(repo)).isFalse();
      failing.watch(repo); // given up for good: not tried again on every round
      assertThat(failing.watching(repo)).isFalse();
    }
  }

  /** A watch service no real path can register with. */
  private static final class ForeignWatchService implements WatchService {
    private final java.util.concurrent.CountDownLatch closed =
        new java.util.concurrent.CountDownLatch(1);

    @Override
    public void close() {
      closed.countDown();
    }

    @Override
    public WatchKey poll() {
      return null;
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
      closed.await(timeout, unit);
      return null;
    }

    @Override
    public WatchKey take() throws InterruptedException {
      closed.await();
      throw new ClosedWatchServiceException();
    }
  }

  @Test
  void afterCloseNothingIsWatched() {
    watcher.close();

    assertThat(watcher.watching(repo)).isFalse();
  }
}
