package dev.berth.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Named network namespaces made and entered without {@code ip netns}: what {@code ip netns add}
 * does ({@code unshare(CLONE_NEWNET)} on a thread, bind-mount that thread's namespace on {@code
 * /var/run/netns/NAME}, return the thread to the host's namespace) with the C calls of {@link
 * Libc}.
 *
 * <p>Switching namespaces changes the calling thread, so every switch runs on one dedicated
 * platform thread (never on a virtual thread, which may move between carriers); the netlink sockets
 * opened there stay in their namespace and are used from any thread. Thread-safe.
 */
final class Netns implements AutoCloseable {
  static final Path RUN_DIR = Path.of("/var/run/netns");
  private final Libc libc;
  private final int hostFd;
  private ExecutorService thread;

  /** A namespace just made or entered: a descriptor of it and a netlink socket inside it. */
  record Handle(int fd, Netlink inside) {}

  /**
   * Opens the host's namespace and makes {@code /var/run/netns} a shared mount as {@code ip} does.
   *
   * @throws Libc.Failed when that is not possible (no privileges)
   */
  Netns(Libc libc) {
    this.libc = libc;
    this.hostFd = libc.open("/proc/self/ns/net");
    this.thread = newThread();
    prepareRunDir();
  }

  private void prepareRunDir() {
    try {
      Files.createDirectories(RUN_DIR);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + RUN_DIR, e);
    }
    String dir = RUN_DIR.toString();
    try {
      libc.mount("", dir, "none", Libc.MS_SHARED | Libc.MS_REC, null);
    } catch (Libc.Failed notAMountPoint) {
      if (notAMountPoint.errno() != Libc.EINVAL) {
        throw notAMountPoint;
      }
      libc.mount(dir, dir, "none", Libc.MS_BIND | Libc.MS_REC, null);
      libc.mount("", dir, "none", Libc.MS_SHARED | Libc.MS_REC, null);
    }
  }

  /**
   * Makes the namespace {@code path} (a file under {@link #RUN_DIR}), returning it entered.
   *
   * @throws Libc.Failed when the namespace cannot be made; nothing is left behind then
   */
  Handle create(Path path) {
    try {
      Files.createFile(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
    try {
      Netlink inside =
          onNamespaceThread(
              () -> {
                libc.unshare(Libc.CLONE_NEWNET);
                try {
                  libc.mount(
                      "/proc/self/task/" + libc.gettid() + "/ns/net",
                      path.toString(),
                      "none",
                      Libc.MS_BIND,
                      null);
                  return Netlink.open(libc);
                } finally {
                  backHome();
                }
              });
      return new Handle(libc.open(path.toString()), inside);
    } catch (RuntimeException e) {
      remove(path);
      throw e;
    }
  }

  /** Enters the existing namespace {@code path}: its descriptor and a netlink socket inside it. */
  Handle enter(Path path) {
    int fd = libc.open(path.toString());
    try {
      Netlink inside =
          onNamespaceThread(
              () -> {
                libc.setns(fd, Libc.CLONE_NEWNET);
                try {
                  return Netlink.open(libc);
                } finally {
                  backHome();
                }
              });
      return new Handle(fd, inside);
    } catch (RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /**
   * Unmounts and deletes the namespace {@code path}; the kernel frees it once unused. Idempotent.
   */
  void remove(Path path) {
    try {
      libc.umount2(path.toString(), Libc.MNT_DETACH);
    } catch (Libc.Failed e) {
      if (e.errno() != Libc.EINVAL && e.errno() != Libc.ENOENT) {
        throw e;
      }
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /**
   * Moves the namespace mounted at {@code from} to {@code to} (a bind mount, then the old one
   * goes).
   */
  void rename(Path from, Path to) {
    try {
      Files.createFile(to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + to, e);
    }
    try {
      libc.mount(from.toString(), to.toString(), "none", Libc.MS_BIND, null);
    } catch (RuntimeException e) {
      remove(to);
      throw e;
    }
    remove(from);
  }

  /** Returns the namespace thread to the host's namespace; a thread that cannot is replaced. */
  private void backHome() {
    try {
      libc.setns(hostFd, Libc.CLONE_NEWNET);
    } catch (RuntimeException e) {
      synchronized (this) {
        thread.shutdown();
        thread = newThread();
      }
      throw new IllegalStateException(
          "cannot return to the host's network namespace: " + e.getMessage(), e);
    }
  }

  private <T> T onNamespaceThread(Callable<T> work) {
    Future<T> f;
    synchronized (this) {
      f = thread.submit(work);
    }
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while switching network namespaces", e);
    }
  }

  private static ExecutorService newThread() {
    return Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("berth-netns").daemon(true).factory());
  }

  @Override
  public synchronized void close() {
    thread.shutdown();
    libc.close(hostFd);
  }
}
