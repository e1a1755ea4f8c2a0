package dev.berth.runtime.local;

import dev.berth.core.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overlay root file systems: the image's unpacked rootfs below, the instance's writable layer
 * above. Mounted through {@code mount(2)} ({@link Mounts}); where that is unavailable or fails, the
 * reason is logged and the {@code mount}/{@code umount} commands do it.
 */
final class Overlay {
  private static final Logger log = LoggerFactory.getLogger(Overlay.class);
  private static final Optional<Mounts> NATIVE = NativeHost.get().map(p -> new Mounts(p.libc()));

  private static final AtomicInteger FALLBACKS = new AtomicInteger();

  private Overlay() {}

  /**
   * How often the native path failed and the commands stood in (each time logged with its reason).
   */
  static int fallbacks() {
    return FALLBACKS.get();
  }

  /** Mounts the overlay at {@code target} unless something is mounted there already. */
  static void mount(Path lower, Path upper, Path work, Path target) {
    try {
      Files.createDirectories(upper);
      Files.createDirectories(work);
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new RuntimeFailure(
          "cannot create overlay directories under " + target.getParent() + ": " + e.getMessage(),
          e);
    }
    if (isMounted(target)) {
      return;
    }
    if (NATIVE.isPresent()) {
      try {
        NATIVE.get().overlay(lower, upper, work, target);
        return;
      } catch (RuntimeException e) {
        FALLBACKS.incrementAndGet();
        log.warn(
            "native overlay mount at {} failed ({}); using mount instead", target, e.getMessage());
      }
    }
    Cmd.check(
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
        target.toString());
  }

  /** Unmounts {@code target} when mounted (lazily when busy). Idempotent. */
  static void unmount(Path target) {
    if (!isMounted(target)) {
      return;
    }
    if (NATIVE.isPresent()) {
      try {
        NATIVE.get().unmount(target);
      } catch (RuntimeException e) {
        FALLBACKS.incrementAndGet();
        log.warn("native unmount of {} failed ({}); using umount instead", target, e.getMessage());
      }
    }
    if (isMounted(target) && !Cmd.run("umount", target.toString()).ok()) {
      Cmd.run("umount", "-l", target.toString());
    }
    if (isMounted(target)) {
      throw new RuntimeFailure("cannot unmount " + target);
    }
  }

  static boolean isMounted(Path target) {
    String t = target.toAbsolutePath().normalize().toString();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && f[1].replace("\\040", " ").equals(t)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new RuntimeFailure("cannot read /proc/self/mounts: " + e.getMessage(), e);
    }
  }
}
