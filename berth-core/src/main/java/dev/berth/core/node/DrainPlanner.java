package dev.berth.core.node;

import dev.berth.core.node.Drain.Item;
import dev.berth.core.node.Drain.Phase;
import dev.berth.core.runtime.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the next step of a drain from what is observed now. Pure.
 *
 * <p>Per app the disruption budget is {@code maxUnavailable} of its release strategy: an instance
 * is taken offline only while fewer than that many of the app's wanted instances are unavailable. A
 * ready surge instance counts as available, so with a surge even {@code maxUnavailable: 0} lets the
 * old instance go. An instance that is not ready on the node is unavailable already and goes at
 * once. When the cluster has no other schedulable node, an evicted instance has nowhere to go:
 * waiting for it cannot help, so it does not count against the budget (the budget then limits how
 * many are taken offline at a time).
 */
public final class DrainPlanner {
  private DrainPlanner() {}

  /** One app as seen now: the instances the user wants, its budget, its observed instances. */
  public record AppState(String app, int wanted, int maxUnavailable, List<Instance> instances) {
    public AppState {
      instances = List.copyOf(instances);
    }
  }

  /**
   * What the planner reads: the drain, its apps, how many other schedulable nodes the cluster has,
   * which instances taken offline have no request in flight any more, and the time.
   */
  public record Inputs(
      Drain drain,
      Map<String, AppState> apps,
      int otherNodes,
      Set<String> trafficDrained,
      Instant now) {}

  /** What to do to one instance; {@code next} is its progress once done. */
  public enum Kind {
    SURGE,
    TAKE_OFFLINE,
    EVICT,
    UNSURGE,
    RESTORE
  }

  /** One step for the controller; on failure the item keeps its old progress. */
  public record Action(Kind kind, Item next) {}

  /** The drain's progress without the actions' outcome, and the actions to take now. */
  public record Plan(Drain drain, List<Action> actions) {}

  public static Plan plan(Inputs in) {
    Drain d = in.drain();
    List<Item> items = withNewcomers(d, in.apps());
    if (items.stream().allMatch(Item::done)) {
      return new Plan(d.with(Drain.State.SUCCEEDED, in.now(), items), List.of());
    }
    if (!in.now().isBefore(d.deadline())) {
      return stop(d.with(d.state(), null, items), Drain.State.STOPPED_AT_DEADLINE, in.now());
    }
    List<Item> out = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    Map<String, List<Item>> byApp = new LinkedHashMap<>();
    items.forEach(i -> byApp.computeIfAbsent(i.app(), k -> new ArrayList<>()).add(i));
    for (List<Item> appItems : byApp.values()) {
      AppState app = in.apps().get(appItems.getFirst().app());
      new AppStep(in, app, appItems, out, actions).run();
    }
    return new Plan(d.with(Drain.State.RUNNING, null, out), actions);
  }

  /**
   * Ends a drain in {@code state} (at its deadline, or cancelled): instances taken offline but
   * still there take traffic again, and surge instances are removed. The node stays cordoned.
   */
  public static Plan stop(Drain d, Drain.State state, Instant now) {
    List<Item> out = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    String why = "drain " + state;
    for (Item i : d.instances()) {
      if (i.phase() == Phase.OFFLINE || i.phase() == Phase.SURGING) {
        Item back = i.to(Phase.WAITING, i.surged(), why);
        if (i.phase() == Phase.OFFLINE) {
          actions.add(new Action(Kind.RESTORE, back));
        }
        i = back;
      }
      if (i.surged()) {
        actions.add(new Action(Kind.UNSURGE, i.to(i.phase(), false, i.blockedReason())));
      }
      out.add(i.phase() == Phase.WAITING ? i.to(Phase.WAITING, i.surged(), why) : i);
    }
    return new Plan(d.with(state, now, out), actions);
  }

  /** The drain's items plus an item for each instance on the node it does not know yet. */
  private static List<Item> withNewcomers(Drain d, Map<String, AppState> apps) {
    List<Item> items = new ArrayList<>(d.instances());
    for (AppState a : apps.values()) {
      for (Instance i : a.instances()) {
        boolean known =
            items.stream().anyMatch(x -> x.app().equals(a.app()) && x.ordinal() == i.ordinal());
        if (!known && d.node().equals(i.node())) {
          items.add(new Item(a.app(), i.ordinal(), Phase.WAITING, false, null));
        }
      }
    }
    return items;
  }

  /** The steps for one app's instances, under its budget. */
  private static final class AppStep {
    private final Inputs in;
    private final AppState app;
    private final List<Item> items;
    private final List<Item> out;
    private final List<Action> actions;
    private int allowance;

    AppStep(Inputs in, AppState app, List<Item> items, List<Item> out, List<Action> actions) {
      this.in = in;
      this.app = app == null ? new AppState(items.getFirst().app(), 0, 1, List.of()) : app;
      this.items = items;
      this.out = out;
      this.actions = actions;
    }

    void run() {
      int serving = 0;
      for (Instance i : app.instances()) {
        if (i.ready() && (!onNode(i) || stillServing(i.ordinal()))) {
          serving++;
        }
      }
      long nowhere =
          in.otherNodes() == 0 ? items.stream().filter(i -> i.phase() == Phase.EVICTED).count() : 0;
      int unavailable = (int) (app.wanted() - serving - nowhere);
      allowance = app.maxUnavailable() - unavailable;
      boolean surgeReady = serving >= app.wanted() + surges();
      for (Item i : items) {
        step(i, surgeReady);
      }
    }

    private void step(Item i, boolean surgeReady) {
      Instance now = instance(i.ordinal());
      switch (i.phase()) {
        case WAITING -> waiting(i, now);
        case SURGING -> {
          if (surgeReady) {
            takeOffline(i, now);
          } else {
            out.add(
                i.to(
                    Phase.SURGING,
                    true,
                    "waiting for a surge instance of " + app.app() + " to be ready"));
          }
        }
        case OFFLINE -> {
          if (in.trafficDrained().contains(i.instance())) {
            act(Kind.EVICT, i, i.to(Phase.EVICTED, i.surged(), null));
          } else {
            out.add(i.to(Phase.OFFLINE, i.surged(), "offline; waiting for requests in flight"));
          }
        }
        case EVICTED -> {
          if (!i.surged()) {
            out.add(i);
          } else if (now == null || in.otherNodes() == 0 || (now.ready() && !onNode(now))) {
            act(Kind.UNSURGE, i, i.to(Phase.EVICTED, false, null));
          } else {
            out.add(
                i.to(
                    Phase.EVICTED,
                    true,
                    "evicted; waiting for "
                        + i.instance()
                        + " to be ready on another node before the surge instance goes"));
          }
        }
      }
    }

    private void waiting(Item i, Instance now) {
      if (now == null || !onNode(now)) {
        out.add(i.to(Phase.EVICTED, i.surged(), null));
      } else if (!now.ready()) {
        act(Kind.TAKE_OFFLINE, i, offline(i));
      } else if (in.drain().surge() && in.otherNodes() > 0 && !i.surged()) {
        if (surges() > 0) {
          out.add(i.to(Phase.WAITING, false, "waiting for the surge of " + surging() + " first"));
        } else {
          act(
              Kind.SURGE,
              i,
              i.to(
                  Phase.SURGING,
                  true,
                  "waiting for a surge instance of " + app.app() + " to be ready"));
        }
      } else {
        takeOffline(i, now);
      }
    }

    private void takeOffline(Item i, Instance now) {
      if (now != null && now.ready() && allowance <= 0) {
        out.add(
            i.to(
                i.phase(),
                i.surged(),
                "disruption budget of app "
                    + app.app()
                    + " allows no more unavailable instances: maxUnavailable "
                    + app.maxUnavailable()
                    + ", "
                    + (app.maxUnavailable() - allowance)
                    + " unavailable now"));
        return;
      }
      allowance--;
      act(Kind.TAKE_OFFLINE, i, offline(i));
    }

    private static Item offline(Item i) {
      return i.to(Phase.OFFLINE, i.surged(), "offline; waiting for requests in flight");
    }

    private void act(Kind kind, Item before, Item next) {
      out.add(before);
      actions.add(new Action(kind, next));
    }

    private long surges() {
      return items.stream().filter(Item::surged).count();
    }

    private String surging() {
      return items.stream().filter(Item::surged).map(Item::instance).findFirst().orElse("");
    }

    private boolean onNode(Instance i) {
      return in.drain().node().equals(i.node());
    }

    private boolean stillServing(int ordinal) {
      return items.stream()
          .filter(x -> x.ordinal() == ordinal)
          .allMatch(x -> x.phase() == Phase.WAITING || x.phase() == Phase.SURGING);
    }

    private Instance instance(int ordinal) {
      return app.instances().stream().filter(x -> x.ordinal() == ordinal).findFirst().orElse(null);
    }
  }
}
