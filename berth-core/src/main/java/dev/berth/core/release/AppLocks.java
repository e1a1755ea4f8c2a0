package dev.berth.core.release;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One lock per application, shared by the release controller and the release controls, so that a
 * pass never reads a release while a control (or a new release) is half written. Within one Berth;
 * across replicas the stores' version checks refuse the loser.
 */
public final class AppLocks {
  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  public <T> T with(String app, Supplier<T> work) {
    synchronized (locks.computeIfAbsent(app, a -> new Object())) {
      return work.get();
    }
  }
}
