package dev.berth.server.traffic;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.Endpoints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Discovery: every app's endpoints, computed from the instances its cluster's runtime observes and
 * the traffic marks (offline, draining) stored in Berth's database ({@link EndpointView}), and the
 * watch that follows them.
 *
 * <p>Watchers are called, on the thread that noticed it, once for each change of an app's
 * endpoints: an instance became ready or unready, started, moved or vanished, was taken offline or
 * online, began or ended a drain. A watcher must return quickly and not throw (what it throws is
 * logged). Each change also raises the app's {@link #version}, so a client can ask "anything newer
 * than version n?". Changes made by another Berth on the same database reach this one's watchers
 * with the next observation of that app.
 *
 * <p>It also keeps runtimes that route traffic themselves (Kubernetes Services) in line with the
 * stored marks: whenever an observed instance's {@code online} differs from its mark, it asks the
 * runtime to switch it ({@link ClusterRuntime#setOnline}), on a virtual thread. So a recreated pod
 * or a restarted Berth gets the stored state back.
 */
@Component
public class Discovery implements Endpoints, ObservationListener {
  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

  private final AppStore apps;
  private final ClusterRegistry clusters;
  private final JdbcTrafficStore store;
  private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();

  private record Seen(List<Endpoint> endpoints, long version) {}

  public Discovery(AppStore apps, ClusterRegistry clusters, JdbcTrafficStore store) {
    this.apps = apps;
    this.clusters = clusters;
    this.store = store;
  }

  /** Every instance of the app with its traffic state; empty for an unknown app. */
  @Override
  public List<Endpoint> of(String app) {
    return apps.find(app).map(this::compute).orElse(List.of());
  }

  /** Only the instances that take new requests: ready and online. */
  public List<Endpoint> serving(String app) {
    return of(app).stream().filter(Endpoint::serving).toList();
  }

  @Override
  public AutoCloseable watch(Consumer<String> changed) {
    watchers.add(changed);
    return () -> watchers.remove(changed);
  }

  /**
   * The app's version: a number that grows with every change of its endpoints (across apps, so a
   * deleted and recreated app never repeats one).
   */
  public long version(String app) {
    return refresh(app).version();
  }

  /**
   * Looks at the app again and tells the watchers when its endpoints changed; called after a
   * traffic mark changed and for every observation of the app.
   */
  public void changed(String app) {
    refresh(app);
  }

  @Override
  public void on(Observation o) {
    try {
      switch (o) {
        case Observation.InstanceChanged c -> {
          changed(c.instance().app());
          align(o.cluster(), c.instance());
        }
        case Observation.InstanceRemoved r -> changed(r.app());
        default -> {}
      }
    } catch (RuntimeException e) {
      LOG.warn("discovery could not follow {}: {}", o, e.toString());
    }
  }

  /** Asks the runtime to switch every instance of the app whose observed traffic differs. */
  public void align(String app) {
    apps.find(app)
        .ifPresent(
            a ->
                clusters
                    .runtime(a.cluster())
                    .ifPresent(r -> r.instances(app).forEach(i -> align(a.cluster(), i))));
  }

  private void align(String cluster, Instance instance) {
    boolean online = store.find(instance.app(), instance.id()).isEmpty();
    if (instance.online() == online) {
      return;
    }
    clusters
        .runtime(cluster)
        .ifPresent(
            runtime ->
                Thread.ofVirtual()
                    .name("traffic-" + instance.id())
                    .start(
                        () -> {
                          try {
                            runtime.setOnline(instance.app(), instance.ordinal(), online);
                          } catch (RuntimeException e) {
                            LOG.warn(
                                "could not take {} {} on cluster {}: {}; trying again with its next"
                                    + " observation",
                                instance.id(),
                                online ? "online" : "offline",
                                cluster,
                                e.getMessage());
                          }
                        }));
  }

  private Seen refresh(String app) {
    Seen next;
    boolean fire;
    synchronized (locks.computeIfAbsent(app, k -> new Object())) {
      List<Endpoint> now = of(app);
      Seen old = seen.get(app);
      fire = old == null || !old.endpoints().equals(now);
      next = fire ? new Seen(now, versions.incrementAndGet()) : old;
      seen.put(app, next);
    }
    if (fire) {
      for (Consumer<String> w : watchers) {
        try {
          w.accept(app);
        } catch (RuntimeException e) {
          LOG.warn("an endpoint watcher failed on a change of {}: {}", app, e.toString());
        }
      }
    }
    return next;
  }

  private List<Endpoint> compute(App app) {
    List<Instance> instances =
        clusters.runtime(app.cluster()).map(r -> r.instances(app.name())).orElse(List.of());
    return EndpointView.of(app, instances, store.marks(app.name()), store.weights(app.name()));
  }
}
