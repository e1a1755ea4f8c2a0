package dev.berth.runtime.local;

import java.nio.file.Path;

/**
 * Overlay mounts through {@code mount(2)} and {@code umount2(2)} instead of forking {@code mount}
 * and {@code umount}. Thread-safe (mounts belong to the process, not the thread).
 */
final class Mounts {
  private final Libc libc;

  Mounts(Libc libc) {
    this.libc = libc;
  }

  /**
   * The data string of an overlay mount; commas or colons in the paths would be misread by the
   * kernel.
   */
  static String overlayOptions(Path lower, Path upper, Path work) {
    for (Path p : new Path[] {lower, upper, work}) {
      String s = p.toString();
      if (s.contains(",") || s.contains(":")) {
        throw new IllegalArgumentException("overlay paths must not contain ',' or ':', was " + s);
      }
    }
    return "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
  }

  void overlay(Path lower, Path upper, Path work, Path target) {
    libc.mount("overlay", target.toString(), "overlay", 0, overlayOptions(lower, upper, work));
  }

  /** Unmounts {@code target}, lazily when it is busy. */
  void unmount(Path target) {
    try {
      libc.umount2(target.toString(), 0);
    } catch (Libc.Failed e) {
      if (e.errno() != Libc.EBUSY) {
        throw e;
      }
      libc.umount2(target.toString(), Libc.MNT_DETACH);
    }
  }
}
