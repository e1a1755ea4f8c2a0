package dev.berth.core.testing;

import dev.berth.core.node.Drain;
import dev.berth.core.node.DrainStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link DrainStore} in memory: the latest drain per node. */
public final class InMemoryDrainStore implements DrainStore {
  private final Map<String, Drain> drains = new ConcurrentHashMap<>();

  @Override
  public void save(Drain drain) {
    drains.put(drain.cluster() + "/" + drain.node(), drain);
  }

  @Override
  public Optional<Drain> find(String cluster, String node) {
    return Optional.ofNullable(drains.get(cluster + "/" + node));
  }

  @Override
  public List<Drain> running() {
    return drains.values().stream().filter(d -> !d.state().isFinal()).toList();
  }
}
