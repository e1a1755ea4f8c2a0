package dev.berth.runtime.local;

import dev.berth.core.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Overlay root file systems: the image's unpacked rootfs below, the instance's writable layer above. */
final class Overlay {
  private Overlay() {}

  /** Mounts the overlay at {@code target} unless something is mounted there already. */
  static void mount(Path lower, Path upper, Path work, Path target) {
    try {
      Files.createDirectories(upper);
      Files.createDirectories(work);
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot create overlay directories under " + target.getParent() + ": " + e.getMessage(), e);
    }
    if (isMounted(target)) {
      return;
    }
    Cmd.check("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, target.toString());
  }

  /** Unmounts {@code target} when mounted (lazily when busy). Idempotent. */
  static void unmount(Path target) {
    if (!isMounted(target)) {
      return;
    }
    if (!Cmd.run("umount", target.toString()).ok()) {
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
