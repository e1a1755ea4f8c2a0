package dev.berth.server.pool;

import static dev.berth.server.access.Permission.CLUSTER_READ;
import static dev.berth.server.access.Permission.NODE_MANAGE;

import dev.berth.core.app.App;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.cluster.NodeJson;
import dev.berth.server.cluster.NodeViews;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * Machine pools as people ask for them, from the API and the portal alike: every signed-in user
 * reads them ({@code cluster.read}); defining, changing and removing one needs {@code node.manage}
 * (admins), is audited ({@code pool.create}, {@code pool.update}, {@code pool.delete}) and leaves
 * an event on the pool.
 */
public class PoolOperations {
  private final JdbcPoolStore store;
  private final NodeViews nodes;
  private final AppOperations apps;
  private final Access access;
  private final AuditLog audit;
  private final EventSink events;
  private final InstantSource clock;

  /** What pool operations use, passed in as one value. */
  record Parts(
      JdbcPoolStore store,
      NodeViews nodes,
      AppOperations apps,
      Access access,
      AuditLog audit,
      EventSink events,
      InstantSource clock) {}

  PoolOperations(Parts p) {
    this.store = p.store();
    this.nodes = p.nodes();
    this.apps = p.apps();
    this.access = p.access();
    this.audit = p.audit();
    this.events = p.events();
    this.clock = p.clock();
  }

  /** What a definition says: the selector and the optional taint. */
  public record Definition(Map<String, String> selector, NodeInfo.Taint taint) {}

  /** The pools of {@code cluster} with their sums (404 for an unknown cluster). */
  public List<PoolJson> list(String cluster) {
    access.require(CLUSTER_READ, null);
    List<NodeJson> all = nodes.nodes(cluster);
    return store.list(cluster).stream().map(p -> PoolJson.of(p, all)).toList();
  }

  public PoolJson get(String cluster, String name) {
    access.require(CLUSTER_READ, null);
    List<NodeJson> all = nodes.nodes(cluster);
    return PoolJson.of(find(cluster, name), all);
  }

  /** How many more instances of {@code app} fit into the pool. */
  public PoolFit fit(String cluster, String name, String app) {
    access.require(CLUSTER_READ, null);
    if (app == null || app.isBlank()) {
      throw dev.berth.core.support.ValidationException.of(
          "app", "is required: the name of the app whose instances should fit");
    }
    App a = apps.get(app);
    Pool pool = find(cluster, name);
    List<PoolFit.Room> rooms =
        nodes.nodes(cluster).stream()
            .filter(n -> pool.matches(n.node().labels()))
            .map(
                n ->
                    new PoolFit.Room(
                        n.node().name(),
                        n.node().schedulable() && n.node().ready(),
                        n.node().allocatable(),
                        n.requested()))
            .toList();
    return PoolFit.of(a.name(), name, a.spec().resources(), rooms);
  }

  public PoolJson create(String cluster, String name, Definition d) {
    nodes.nodes(cluster);
    audit.change(
        "pool.create",
        "pool",
        cluster + "/" + name,
        c -> {
          Caller caller = access.require(NODE_MANAGE, null);
          Pool.problems(name, d.selector(), d.taint()).throwIfAny();
          Pool p = new Pool(cluster, name, d.selector(), d.taint(), caller.name(), clock.instant());
          store.create(p);
          c.after(d).detail("pool " + name + " selects " + describe(p));
          emit(
              p,
              "PoolCreated",
              "pool " + name + " defined: " + describe(p) + " by " + caller.name());
          return null;
        });
    return get(cluster, name);
  }

  public PoolJson replace(String cluster, String name, Definition d) {
    Pool before = find(cluster, name);
    audit.change(
        "pool.update",
        "pool",
        cluster + "/" + name,
        c -> {
          Caller caller = access.require(NODE_MANAGE, null);
          Pool.problems(name, d.selector(), d.taint()).throwIfAny();
          Pool p = new Pool(cluster, name, d.selector(), d.taint(), caller.name(), clock.instant());
          c.before(new Definition(before.selector(), before.taint())).after(d);
          if (!store.replace(p)) {
            throw new NotFoundException("pool", name);
          }
          emit(
              p,
              "PoolChanged",
              "pool " + name + " now selects " + describe(p) + " (" + caller.name() + ")");
          return null;
        });
    return get(cluster, name);
  }

  public void delete(String cluster, String name) {
    Pool before = find(cluster, name);
    audit.change(
        "pool.delete",
        "pool",
        cluster + "/" + name,
        c -> {
          Caller caller = access.require(NODE_MANAGE, null);
          c.before(new Definition(before.selector(), before.taint()));
          store.delete(cluster, name);
          emit(before, "PoolDeleted", "pool " + name + " removed by " + caller.name());
          return null;
        });
  }

  private Pool find(String cluster, String name) {
    return store.find(cluster, name).orElseThrow(() -> new NotFoundException("pool", name));
  }

  private void emit(Pool p, String reason, String message) {
    events.emit(
        Event.normal(clock.instant(), p.cluster(), "pool", p.name(), null, reason, message));
  }

  private static String describe(Pool p) {
    String sel =
        p.selector().isEmpty()
            ? "every node"
            : String.join(
                ",",
                p.selector().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toList());
    return p.taint() == null
        ? sel
        : sel + ", taint " + p.taint().key() + "=" + p.taint().value() + ":" + p.taint().effect();
  }
}
