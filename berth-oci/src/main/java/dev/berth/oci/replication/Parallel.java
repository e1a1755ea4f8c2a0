package dev.berth.oci.replication;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** Bounded fan-out on virtual threads for the copiers. */
final class Parallel {
  private Parallel() {}

  /**
   * Runs {@code work} for every item, at most {@code width} at a time, and waits for all. Returns
   * the failures by item (empty when all succeeded), in the items' order.
   */
  static <T> Map<T, RuntimeException> each(Collection<T> items, int width, Consumer<T> work) {
    Map<T, RuntimeException> failed = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(width);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        slots.acquireUninterruptibly();
        executor.execute(
            () -> {
              try {
                work.accept(item);
              } catch (RuntimeException e) {
                failed.put(item, e);
              } catch (Error e) {
                failed.put(item, new IllegalStateException(e.toString(), e));
              } finally {
                slots.release();
              }
            });
      }
    }
    Map<T, RuntimeException> ordered = new LinkedHashMap<>();
    for (T item : items) {
      if (failed.containsKey(item)) {
        ordered.put(item, failed.get(item));
      }
    }
    return ordered;
  }

  /** Throws the first failure of {@link #each}, if any. */
  static void throwFirst(Map<?, RuntimeException> failures) {
    if (!failures.isEmpty()) {
      throw failures.values().iterator().next();
    }
  }
}
