package dev.berth.core.node;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.node.Drain.Item;
import dev.berth.core.node.DrainPlanner.Action;
import dev.berth.core.node.DrainPlanner.AppState;
import dev.berth.core.node.DrainPlanner.Plan;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.InstanceTraffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives drains: cordons the node, then every {@link #RETRY} plans the next steps ({@link
 * DrainPlanner}) and takes them — a surge instance through the app's desired count, traffic off
 * through {@link InstanceTraffic}, eviction through the runtime — and stores the progress. The
 * drain lives in the {@link DrainStore}, so {@link #resume} picks up every running drain after a
 * restart. At the deadline it stops with a Warning event and tells the {@link DrainNotifier}.
 */
public final class DrainController {
  /** How often a running drain looks again (and retries a refused eviction). */
  public static final Duration RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(DrainController.class.getName());

  private final DrainStore drains;
  private final ClusterRegistry clusters;
  private final AppStore apps;
  private final ReleaseStore releases;
  private final InstanceTraffic traffic;
  private final Outlets outlets;
  private final Scheduler time;

  /** Where a drain reports: events, the notifier for a stopped drain, the app queue. */
  public record Outlets(EventSink events, DrainNotifier notifier, Consumer<String> appChanged) {}

  public DrainController(
      DrainStore drains,
      ClusterRegistry clusters,
      AppStore apps,
      ReleaseStore releases,
      InstanceTraffic traffic,
      Outlets outlets,
      Scheduler time) {
    this.drains = drains;
    this.clusters = clusters;
    this.apps = apps;
    this.releases = releases;
    this.traffic = traffic;
    this.outlets = outlets;
    this.time = time;
  }

  /**
   * Cordons the node and starts draining it until {@code deadline} from now.
   *
   * @throws NotFoundException when the cluster or node does not exist
   * @throws ConflictException when a drain of the node is running
   */
  public synchronized Drain start(
      String cluster, String node, Duration deadline, boolean surge, String actor) {
    ClusterRuntime runtime = clusters.require(cluster);
    requireNode(runtime, node);
    Optional<Drain> running = drains.find(cluster, node).filter(d -> !d.state().isFinal());
    if (running.isPresent()) {
      throw new ConflictException(
          "node "
              + node
              + " is being drained since "
              + running.get().startedAt()
              + "; cancel that drain first (DELETE its drain)");
    }
    runtime.setSchedulable(node, false);
    Drain d =
        new Drain(
            cluster,
            node,
            surge,
            time.instant(),
            time.instant().plus(deadline),
            Drain.State.RUNNING,
            null,
            actor,
            List.of());
    drains.save(d);
    emit(
        d,
        false,
        "DrainStarted",
        "drain of node "
            + node
            + " started by "
            + actor
            + " with a deadline of "
            + deadline
            + (surge ? ", with surge" : ""));
    time.schedule(Duration.ZERO, () -> tick(cluster, node));
    return d;
  }

  /**
   * Cancels a running drain: instances taken offline take traffic again, surge instances go; the
   * node stays cordoned.
   *
   * @throws NotFoundException when the node has no running drain
   */
  public synchronized Drain cancel(String cluster, String node, String actor) {
    Drain d =
        drains
            .find(cluster, node)
            .filter(x -> !x.state().isFinal())
            .orElseThrow(() -> new NotFoundException("drain of node", node));
    Drain done = apply(DrainPlanner.stop(d, Drain.State.CANCELLED, time.instant()));
    drains.save(done);
    emit(done, false, "DrainCancelled", "drain of node " + node + " cancelled by " + actor);
    return done;
  }

  /** The node's latest drain. */
  public Optional<Drain> find(String cluster, String node) {
    return drains.find(cluster, node);
  }

  /** Picks up every running drain (at start-up). */
  public void resume() {
    for (Drain d : drains.running()) {
      time.schedule(Duration.ZERO, () -> tick(d.cluster(), d.node()));
    }
  }

  /** One look at a drain: plan, act, store; again after {@link #RETRY} while it runs. */
  public void tick(String cluster, String node) {
    boolean again = true;
    try {
      again = step(cluster, node);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "drain of " + cluster + "/" + node + " failed a step; retrying", e);
    }
    if (again) {
      time.schedule(RETRY, () -> tick(cluster, node));
    }
  }

  private synchronized boolean step(String cluster, String node) {
    Optional<Drain> found = drains.find(cluster, node);
    if (found.isEmpty() || found.get().state().isFinal()) {
      return false;
    }
    Drain d = found.get();
    ClusterRuntime runtime = clusters.require(cluster);
    Map<String, AppState> states = appStates(d, runtime);
    int others =
        (int)
            runtime.nodes().stream()
                .filter(n -> !n.name().equals(node) && n.schedulable() && n.ready())
                .count();
    Set<String> quiet = new HashSet<>();
    for (Item i : d.instances()) {
      if (i.phase() == Drain.Phase.OFFLINE && traffic.drained(i.app(), i.instance())) {
        quiet.add(i.instance());
      }
    }
    Plan plan =
        DrainPlanner.plan(new DrainPlanner.Inputs(d, states, others, quiet, time.instant()));
    Drain next = apply(plan);
    drains.save(next);
    if (next.state() == Drain.State.SUCCEEDED) {
      emit(next, false, "DrainSucceeded", "node " + node + " is drained");
    } else if (next.state() == Drain.State.STOPPED_AT_DEADLINE) {
      emit(
          next,
          true,
          "DrainDeadline",
          "drain of node "
              + node
              + " stopped at its deadline with instances left: "
              + String.join("; ", blockedBefore(d, next)));
      outlets.notifier().stoppedAtDeadline(next);
    }
    return !next.state().isFinal();
  }

  private static List<String> blockedBefore(Drain before, Drain after) {
    List<String> b = before.blocked();
    return b.isEmpty() ? after.blocked() : b;
  }

  private Map<String, AppState> appStates(Drain d, ClusterRuntime runtime) {
    Map<String, AppState> out = new LinkedHashMap<>();
    for (String name : apps.names(d.cluster())) {
      List<Instance> instances = runtime.instances(name);
      boolean involved =
          instances.stream().anyMatch(i -> d.node().equals(i.node()))
              || d.instances().stream().anyMatch(i -> i.app().equals(name));
      Optional<App> app = apps.find(name);
      if (!involved || app.isEmpty()) {
        continue;
      }
      long surged = d.instances().stream().filter(i -> i.app().equals(name) && i.surged()).count();
      int budget = releases.defaultStrategy(name).orElse(ReleaseStrategy.DEFAULT).maxUnavailable();
      out.put(name, new AppState(name, app.get().instances() - (int) surged, budget, instances));
    }
    return out;
  }

  /** Takes the plan's actions; an item whose action fails keeps its progress with the reason. */
  private Drain apply(Plan plan) {
    Drain d = plan.drain();
    List<Item> items = new ArrayList<>(d.instances());
    for (Action a : plan.actions()) {
      Item next = a.next();
      int at = indexOf(items, next);
      try {
        next = act(d, a, items.get(at));
      } catch (RuntimeException e) {
        LOG.log(Level.INFO, "drain step " + a.kind() + " of " + next.instance() + " failed", e);
        Item before = items.get(at);
        next = before.to(before.phase(), before.surged(), a.kind() + " failed: " + e.getMessage());
      }
      items.set(at, next);
    }
    return d.with(d.state(), d.endedAt(), items);
  }

  private Item act(Drain d, Action a, Item before) {
    Item next = a.next();
    ClusterRuntime runtime = clusters.require(d.cluster());
    switch (a.kind()) {
      case SURGE -> resize(d, next.app(), +1);
      case UNSURGE -> resize(d, next.app(), -1);
      case TAKE_OFFLINE -> {
        traffic.drain(next.app(), next.instance());
        outlets
            .events()
            .emit(
                Event.normal(
                    time.instant(),
                    d.cluster(),
                    "instance",
                    next.instance(),
                    next.app(),
                    "Offline",
                    "taken out of traffic for the drain of node " + d.node()));
      }
      case RESTORE -> traffic.restore(next.app(), next.instance());
      case EVICT -> {
        int budget =
            releases.defaultStrategy(next.app()).orElse(ReleaseStrategy.DEFAULT).maxUnavailable();
        Eviction e = runtime.evict(next.app(), next.ordinal(), budget);
        if (!e.evicted()) {
          return before.to(before.phase(), before.surged(), e.blockedReason());
        }
        outlets
            .events()
            .emit(
                Event.normal(
                    time.instant(),
                    d.cluster(),
                    "instance",
                    next.instance(),
                    next.app(),
                    "Evicted",
                    "evicted from node " + d.node() + " by its drain"));
      }
    }
    return next;
  }

  private void resize(Drain d, String name, int by) {
    App app = apps.find(name).orElseThrow(() -> new NotFoundException("app", name));
    int count = Math.max(0, app.instances() + by);
    apps.update(app.toBuilder().instances(count).build(), app.version(), null);
    outlets.appChanged().accept(name);
    outlets
        .events()
        .emit(
            Event.normal(
                time.instant(),
                d.cluster(),
                "app",
                name,
                name,
                by > 0 ? "DrainSurge" : "DrainSurgeRemoved",
                (by > 0 ? "one instance more" : "the surge instance removed")
                    + " for the drain of node "
                    + d.node()
                    + ": "
                    + count
                    + " instance(s)"));
  }

  private static int indexOf(List<Item> items, Item i) {
    for (int n = 0; n < items.size(); n++) {
      if (items.get(n).instance().equals(i.instance())) {
        return n;
      }
    }
    throw new IllegalStateException("no item " + i.instance());
  }

  private static void requireNode(ClusterRuntime runtime, String node) {
    if (runtime.nodes().stream().noneMatch(n -> n.name().equals(node))) {
      throw new NotFoundException("node", node);
    }
  }

  private void emit(Drain d, boolean warning, String reason, String message) {
    Event e =
        warning
            ? Event.warning(time.instant(), d.cluster(), "node", d.node(), null, reason, message)
            : Event.normal(time.instant(), d.cluster(), "node", d.node(), null, reason, message);
    outlets.events().emit(e);
  }
}
