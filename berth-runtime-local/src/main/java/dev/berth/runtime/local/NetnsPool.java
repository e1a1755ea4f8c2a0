package dev.berth.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces made ahead of the starts that need them: each ready entry is a namespace under
 * a pool name with a veth pair, {@code eth0} inside and the host side down and on no bridge. Making
 * a namespace ({@code unshare}) is the slow part of wiring one; taking a ready one costs a bind
 * mount, a rename and the addresses. Taken entries are refilled on a virtual thread; {@link
 * #close()} removes what is left, and a new pool removes the entries a killed process left behind.
 * Thread-safe.
 */
final class NetnsPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetnsPool.class);
  private final NativeNetwork net;
  private final Netns netns;
  private final String prefix;
  private final int size;
  private final Deque<Entry> ready = new ArrayDeque<>();
  private static final AtomicLong COUNTER = new AtomicLong();
  private Thread filler;
  private boolean closed;

  /** A ready namespace: where it is mounted and its veth's host side. */
  record Entry(Path ns, String veth) {}

  /**
   * A pool of {@code size} namespaces named {@code berth-<bridge>-pool-<n>}; removes those left
   * from an earlier process and starts filling.
   */
  NetnsPool(NativeNetwork net, Netns netns, String bridge, int size) {
    this.net = net;
    this.netns = netns;
    this.prefix = "berth-" + bridge + "-pool-";
    this.size = size;
    removeLeftovers();
    refill();
  }

  /**
   * Wires a ready namespace as {@code ns} with {@code hostVeth} on the bridge and eth0 = {@code
   * ip}; false when none was ready (the caller makes one). On a failure the entry is removed and
   * the exception thrown; nothing of it is left.
   */
  boolean take(Path ns, String hostVeth, String ip) {
    Entry e;
    synchronized (this) {
      e = ready.pollFirst();
    }
    refill();
    if (e == null) {
      return false;
    }
    boolean renamed = false;
    try {
      netns.rename(e.ns(), ns);
      renamed = true;
      net.adopt(ns, e.veth(), hostVeth, ip);
      return true;
    } catch (RuntimeException failure) {
      net.deleteLink(e.veth());
      net.remove(renamed ? ns : e.ns(), hostVeth);
      throw failure;
    }
  }

  /** How many namespaces are ready now. */
  synchronized int ready() {
    return ready.size();
  }

  private void refill() {
    synchronized (this) {
      if (filler != null || closed || ready.size() >= size) {
        return;
      }
      filler = Thread.ofVirtual().name("berth-netns-pool").unstarted(this::fill);
      filler.start();
    }
  }

  private void fill() {
    try {
      while (true) {
        synchronized (this) {
          if (closed || ready.size() >= size) {
            return;
          }
        }
        String name = prefix + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Entry e = new Entry(Netns.RUN_DIR.resolve(name), "bp" + Network.hash(name));
        net.prepare(e.ns(), e.veth());
        boolean keep;
        synchronized (this) {
          keep = !closed;
          if (keep) {
            ready.addLast(e);
          }
        }
        if (!keep) {
          net.remove(e.ns(), e.veth());
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "cannot prepare a network namespace ahead ({}); starts make their own", e.getMessage());
    } finally {
      synchronized (this) {
        filler = null;
      }
    }
  }

  private void removeLeftovers() {
    if (!Files.isDirectory(Netns.RUN_DIR)) {
      return;
    }
    List<Path> old;
    try (Stream<Path> all = Files.list(Netns.RUN_DIR)) {
      old = all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    } catch (IOException e) {
      log.warn("cannot list {}: {}", Netns.RUN_DIR, e.getMessage());
      return;
    }
    for (Path p : old) {
      try {
        net.remove(p, "bp" + Network.hash(p.getFileName().toString()));
      } catch (RuntimeException e) {
        log.warn("cannot remove the leftover namespace {}: {}", p, e.getMessage());
      }
    }
  }

  /** Removes every ready namespace (after the one being made, if any); later takes find none. */
  @Override
  public void close() {
    List<Entry> left;
    Thread making;
    synchronized (this) {
      closed = true;
      making = filler;
    }
    if (making != null) {
      try {
        making.join(java.time.Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      left = List.copyOf(ready);
      ready.clear();
    }
    for (Entry e : left) {
      try {
        net.remove(e.ns(), e.veth());
      } catch (RuntimeException ex) {
        log.warn("cannot remove the ready namespace {}: {}", e.ns(), ex.getMessage());
      }
    }
  }
}
