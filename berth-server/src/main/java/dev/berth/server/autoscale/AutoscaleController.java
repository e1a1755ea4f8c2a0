package dev.berth.server.autoscale;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Scale;
import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.autoscale.Autoscaler;
import dev.berth.core.autoscale.Decision;
import dev.berth.core.autoscale.Inputs;
import dev.berth.core.autoscale.Reading;
import dev.berth.core.autoscale.WindowClock;
import dev.berth.core.autoscale.WindowState;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.release.InstanceProgress;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.support.BerthException;
import dev.berth.core.time.Scheduler;
import dev.berth.server.autoscale.AutoscaleReadings.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every autoscaling policy on the {@link Scheduler}'s interval: reads the app, its
 * instances, its active release and the metrics, asks the pure {@link Autoscaler}, stores the
 * decision with the state after it, and — unless the policy is a dry run — sets the count through
 * {@link AppService#scale}, the path of {@code POST /apps/{app}/scale}, so every runtime follows
 * (local instances, a StatefulSet's replicas). The decision and state are stored before the count
 * is written: after a crash between the two, the next pass sees the old count and decides again,
 * and the recorded change only makes the next decrease wait (never a second increase).
 */
public final class AutoscaleController implements AutoCloseable {
  static final String ACTOR = "autoscaler";
  private static final Logger LOG = LoggerFactory.getLogger(AutoscaleController.class);

  /** What the controller reads and writes through. */
  public record Parts(
      JdbcAutoscaleStore store,
      AppStore apps,
      AppService appService,
      ReleaseStore releases,
      Function<App, List<Instance>> instances,
      AutoscaleReadings readings,
      WindowClock windows,
      EventSink events,
      Scheduler scheduler) {}

  private final Parts p;
  private final int keep;
  private Scheduler.Cancellable timer;

  AutoscaleController(Parts parts, int keep) {
    this.p = parts;
    this.keep = keep;
  }

  void start(Duration interval) {
    timer = p.scheduler().scheduleWithFixedDelay(interval, interval, this::evaluateAll);
  }

  /** One pass over every policy; a failing app is logged and does not stop the others. */
  public int evaluateAll() {
    long started = System.nanoTime();
    int n = 0;
    for (String app : p.store().apps()) {
      try {
        evaluate(app);
        n++;
      } catch (RuntimeException e) {
        LOG.warn("autoscaling {} failed: {}", app, e.toString());
      }
    }
    LOG.debug("autoscale pass: {} app(s) in {} ms", n, (System.nanoTime() - started) / 1_000_000);
    return n;
  }

  /** Evaluates one app's policy now; empty when it has none or is gone. */
  public Optional<Decision> evaluate(String name) {
    Optional<JdbcAutoscaleStore.Stored> stored = p.store().find(name);
    Optional<App> found = p.apps().find(name);
    if (stored.isEmpty() || found.isEmpty() || found.get().deleting()) {
      return Optional.empty();
    }
    App app = found.get();
    AutoscalePolicy policy = stored.get().policy();
    Instant now = p.scheduler().instant();
    Release release = p.releases().active(name).orElse(null);
    Counted counted = counted(app, p.instances().apply(app), release);
    List<Reading> readings = new ArrayList<>();
    for (var t : policy.metrics()) {
      readings.add(p.readings().read(t, app, counted, now));
    }
    List<WindowState> windows = new ArrayList<>();
    for (var w : policy.schedules()) {
      windows.add(p.windows().at(w, now));
    }
    Inputs in =
        new Inputs(
            app.instances(), readings, windows, release == null ? null : name + "." + release.id());
    Autoscaler.Outcome o = Autoscaler.decide(policy, stored.get().state(), in, now);
    Decision d = o.decision();
    p.store().record(name, d, o.state(), keep);
    if (d.changes() && !d.dryRun()) {
      try {
        p.appService().scale(name, new Scale(d.desired()), app.version(), ACTOR);
        p.events()
            .emit(
                Event.normal(
                    now,
                    app.cluster(),
                    "app",
                    name,
                    name,
                    "Autoscaled",
                    "from "
                        + d.current()
                        + " to "
                        + d.desired()
                        + " ("
                        + d.rule()
                        + "): "
                        + d.reason()));
      } catch (BerthException e) {
        // changed meanwhile (a scale by hand, a spec change): the next pass decides again
        LOG.info("autoscaling {} to {} not applied: {}", name, d.desired(), e.getMessage());
      }
    }
    return Optional.of(d);
  }

  /**
   * The instances a metric is averaged over: running ones, less those an active release is
   * replacing (not yet updated) and its bastion while the bastion batch is on.
   */
  static Counted counted(App app, List<Instance> instances, Release release) {
    Map<Integer, InstanceProgress> touched = new HashMap<>();
    boolean bastion = false;
    if (release != null) {
      release.instances().forEach(i -> touched.put(i.ordinal(), i));
      bastion = release.batch() == 0 && release.strategy().bastion() > 0;
    }
    List<String> ids = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Instance i : instances) {
      InstanceProgress progress = touched.get(i.ordinal());
      if (i.state() != InstanceState.RUNNING || i.ordinal() >= app.instances()) {
        left.add(i.id() + " (" + i.state() + ")");
      } else if (progress != null && bastion) {
        left.add(i.id() + " (the release's bastion)");
      } else if (progress != null && !"updated".equals(progress.phase().toString())) {
        left.add(i.id() + " (" + progress.phase() + " in the release)");
      } else {
        ids.add(i.id());
      }
    }
    return new Counted(ids, left);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.cancel();
    }
  }
}
