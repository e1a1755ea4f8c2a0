package dev.berth.core.testing;

import dev.berth.core.traffic.InstanceTraffic;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link InstanceTraffic} that records every call in order ({@code drain web-2}, {@code restore
 * web-2}) and reports a drain finished at once, unless the instance is {@link #hold held}.
 */
public final class RecordingTraffic implements InstanceTraffic {
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  /** Keeps requests in flight to {@code instance}: its drain does not finish until released. */
  public void hold(String instance) {
    held.add(instance);
  }

  public void release(String instance) {
    held.remove(instance);
  }

  @Override
  public void drain(String app, String instance) {
    calls.add("drain " + instance);
  }

  @Override
  public boolean drained(String app, String instance) {
    return !held.contains(instance);
  }

  @Override
  public void restore(String app, String instance) {
    calls.add("restore " + instance);
  }
}
