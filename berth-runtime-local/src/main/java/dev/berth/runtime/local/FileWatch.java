package dev.berth.runtime.local;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices files as they appear, without polling: one {@link WatchService} (inotify on Linux) for
 * the whole runtime, one watch per directory that someone waits in, dropped when nobody waits there
 * any more. The shim's {@code exit} file and runc's {@code pid} file are written by a rename into
 * the bundle, which inotify reports at once. Thread-safe.
 */
final class FileWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileWatch.class);
  private final WatchService service;
  private final Map<Path, Watched> dirs = new HashMap<>();

  private record Waiter(String name, CompletableFuture<Void> done) {}

  private record Watched(WatchKey key, List<Waiter> waiters) {}

  FileWatch() {
    try {
      this.service = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a file watch service: " + e.getMessage(), e);
    }
    Thread.ofVirtual().name("berth-file-watch").start(this::loop);
  }

  /**
   * A future completed once {@code file} exists (at once when it does already). Cancel it when no
   * longer interested. When its directory cannot be watched the future never completes: callers
   * keep a slow safety check.
   */
  CompletableFuture<Void> appears(Path file) {
    Path dir = file.getParent();
    Waiter w = new Waiter(file.getFileName().toString(), new CompletableFuture<>());
    synchronized (this) {
      Watched watched = dirs.get(dir);
      if (watched == null) {
        try {
          watched =
              new Watched(
                  dir.register(
                      service,
                      StandardWatchEventKinds.ENTRY_CREATE,
                      StandardWatchEventKinds.ENTRY_MODIFY),
                  new ArrayList<>());
        } catch (IOException | ClosedWatchServiceException e) {
          log.warn("cannot watch {}: {}; relying on the safety check", dir, e.toString());
          return w.done();
        }
        dirs.put(dir, watched);
      }
      watched.waiters().add(w);
    }
    w.done().whenComplete((v, e) -> forget(dir, w));
    if (Files.exists(file)) {
      w.done().complete(null);
    }
    return w.done();
  }

  private synchronized void forget(Path dir, Waiter w) {
    Watched watched = dirs.get(dir);
    if (watched != null && watched.waiters().remove(w) && watched.waiters().isEmpty()) {
      watched.key().cancel();
      dirs.remove(dir);
    }
  }

  private void loop() {
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      Path dir = (Path) key.watchable();
      Set<String> names = new HashSet<>();
      boolean overflow = false;
      for (WatchEvent<?> e : key.pollEvents()) {
        if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
          overflow = true;
        } else {
          names.add(e.context().toString());
        }
      }
      boolean valid = key.reset();
      List<Waiter> due = new ArrayList<>();
      synchronized (this) {
        Watched watched = dirs.get(dir);
        if (watched != null) {
          for (Waiter w : watched.waiters()) {
            if (names.contains(w.name()) || (overflow && Files.exists(dir.resolve(w.name())))) {
              due.add(w);
            }
          }
          if (!valid) {
            dirs.remove(dir); // the directory is gone: nothing more will appear in it
          }
        }
      }
      due.forEach(w -> w.done().complete(null));
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException ignored) {
      // closing a watch service does not fail in practice
    }
  }
}
