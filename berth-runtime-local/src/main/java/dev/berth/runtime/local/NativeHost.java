package dev.berth.runtime.local;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide native parts (C calls and the namespace thread), loaded once: network namespaces
 * and mounts belong to the process, so one set serves every runtime in it. Empty, with the reason
 * logged once, where they cannot be had (no native access, not root); callers then use {@code ip}
 * and {@code mount}.
 */
final class NativeHost {
  private static final Logger log = LoggerFactory.getLogger(NativeHost.class);
  private static Optional<Parts> parts;

  record Parts(Libc libc, Netns netns) {}

  private NativeHost() {}

  static synchronized Optional<Parts> get() {
    if (parts == null) {
      try {
        Libc libc = Libc.load();
        parts = Optional.of(new Parts(libc, new Netns(libc)));
        log.debug("netlink and mount(2) through the FFM API are in use");
      } catch (RuntimeException | LinkageError e) {
        log.warn(
            "cannot call netlink and mount(2) natively ({}); network namespaces and overlays are set up with ip and mount instead",
            e.toString());
        parts = Optional.empty();
      }
    }
    return parts;
  }
}
