package dev.berth.server.gateway;

import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.Endpoints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Endpoints a test sets by hand; every change calls the watchers, as discovery does. */
final class TestEndpoints implements Endpoints {
  private final Map<String, List<Endpoint>> byApp = new ConcurrentHashMap<>();
  private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();

  void set(String app, Endpoint... endpoints) {
    byApp.put(app, List.of(endpoints));
    watchers.forEach(w -> w.accept(app));
  }

  @Override
  public List<Endpoint> of(String app) {
    return byApp.getOrDefault(app, List.of());
  }

  @Override
  public AutoCloseable watch(Consumer<String> changed) {
    watchers.add(changed);
    return () -> watchers.remove(changed);
  }
}
