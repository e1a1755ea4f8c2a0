package dev.berth.server.gateway;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.Endpoints;
import dev.berth.server.gateway.NginxConfig.AppRoute;
import dev.berth.server.gateway.NginxConfig.MirrorRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps nginx in line with the apps' routes, mirrors and endpoints. Endpoints go to nginx's shared
 * dictionary through the control socket at once and never reload it; routes and mirrors make a
 * config that is written only when its bytes differ from the one on disk, after {@code debounce}
 * without further change, and only once {@code nginx -t} accepts it; a refused config leaves the
 * old one serving and raises one Warning event. In managed mode a dead nginx is started again on
 * the config on disk. Every pass compares desired with actual state, so a restarted Berth or nginx
 * converges without remembering anything.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** Where the gateway reads what it should serve. */
  public record Sources(
      Supplier<List<AppRoute>> routes, Supplier<List<MirrorRule>> mirrors, Endpoints endpoints) {}

  private final Nginx nginx;
  private final ControlSocket control;
  private final NginxConfig.Layout layout;
  private final Sources sources;
  private final Scheduler scheduler;
  private final EventSink events;
  private final GatewayProperties settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final java.util.concurrent.atomic.AtomicBoolean pending =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final List<AutoCloseable> handles = new java.util.ArrayList<>();
  private volatile String configHash = "";
  private volatile Instant lastApply;
  private volatile long reloads;
  private volatile long restarts;
  private volatile String lastError;
  private volatile String refusedHash;
  private volatile int routeCount;
  private volatile Map<String, String> upstreams = Map.of();

  /** When this Berth started following; endpoints are not emptied for a while after it. */
  private volatile Instant startedAt;

  /** Whether this Berth has seen nginx run: a start after that is a restart. */
  private volatile boolean startedOnce;

  Gateway(
      GatewayProperties settings,
      NginxConfig.Layout layout,
      Sources sources,
      Scheduler scheduler,
      EventSink events) {
    this.settings = settings;
    this.layout = layout;
    this.nginx = new Nginx(settings, layout.dir());
    this.control = new ControlSocket(layout.socket());
    this.sources = sources;
    this.scheduler = scheduler;
    this.events = events;
  }

  /**
   * Brings nginx in line once, then follows endpoint changes and checks every {@code syncEvery}.
   */
  public void start() {
    startedAt = scheduler.instant();
    nginx.prepare();
    configHash = hash(nginx.current());
    startedOnce = nginx.master().isPresent();
    sync();
    handles.add(sources.endpoints().watch(app -> pushEndpoints()));
    Scheduler.Cancellable tick =
        scheduler.scheduleWithFixedDelay(settings.syncEvery(), settings.syncEvery(), this::tick);
    handles.add(tick::cancel);
  }

  /** A periodic pass: restarts a dead nginx at once, debounces a config change. */
  void tick() {
    if (settings.managed() && nginx.master().isEmpty()) {
      sync();
      return;
    }
    String text = render();
    if (!text.equals(nginx.current()) && !hash(text).equals(refusedHash)) {
      requestSync();
    }
    pushEndpoints();
  }

  /**
   * Applies the current routes after {@code debounce}, once however often it is asked meanwhile.
   */
  public void requestSync() {
    if (pending.compareAndSet(false, true)) {
      scheduler.schedule(
          settings.debounce(),
          () -> {
            pending.set(false);
            sync();
          });
    }
  }

  /** One full pass now: config, process, endpoints. */
  public void sync() {
    lock.lock();
    try {
      applyConfig();
      superviseProcess();
      pushEndpoints();
    } catch (RuntimeException e) {
      lastError = e.getMessage();
      log.warn("gateway pass failed, trying again in {}: {}", settings.syncEvery(), e.toString());
    } finally {
      lock.unlock();
    }
  }

  private String render() {
    List<AppRoute> routes = sources.routes().get();
    List<MirrorRule> mirrors = sources.mirrors().get();
    Map<String, String> ups = new TreeMap<>();
    routes.forEach(
        r ->
            ups.put(
                NginxConfig.upstream(r.app(), r.route().port()), r.app() + "/" + r.route().port()));
    mirrors.forEach(
        m -> ups.put(NginxConfig.upstream(m.target(), m.port()), m.target() + "/" + m.port()));
    upstreams = ups;
    routeCount = routes.size();
    return settings.managed()
        ? NginxConfig.main(layout, routes, mirrors)
        : NginxConfig.http(layout, routes, mirrors);
  }

  private void applyConfig() {
    String text = render();
    if (text.equals(nginx.current())) {
      return;
    }
    String h = hash(text);
    if (h.equals(refusedHash)) {
      return;
    }
    Optional<String> refused = nginx.install(text);
    if (refused.isPresent()) {
      refusedHash = h;
      lastError = refused.get();
      emit(
          Event.warning(
              scheduler.instant(),
              "local",
              "gateway",
              "nginx",
              null,
              "GatewayConfigRefused",
              "nginx refused config "
                  + h
                  + "; config "
                  + configHash
                  + " keeps serving: "
                  + refused.get()));
      return;
    }
    refusedHash = null;
    lastError = null;
    configHash = h;
    lastApply = scheduler.instant();
    if (nginx.master().isPresent() || !settings.managed()) {
      nginx.reload();
      reloads++;
      emit(
          Event.normal(
              scheduler.instant(),
              "local",
              "gateway",
              "nginx",
              null,
              "GatewayReloaded",
              "config " + h + " applied (reload " + reloads + ")"));
    }
  }

  private void superviseProcess() {
    if (!settings.managed() || nginx.master().isPresent() || nginx.current().isEmpty()) {
      return;
    }
    nginx.start();
    if (startedOnce) {
      restarts++;
      emit(
          Event.warning(
              scheduler.instant(),
              "local",
              "gateway",
              "nginx",
              null,
              "GatewayRestarted",
              "nginx was not running; started again with config " + configHash));
    } else {
      emit(
          Event.normal(
              scheduler.instant(),
              "local",
              "gateway",
              "nginx",
              null,
              "GatewayStarted",
              "nginx started on " + listen() + " with config " + configHash));
    }
    startedOnce = true;
  }

  /** Sends nginx the endpoints that differ from what its shared dictionary holds. */
  void pushEndpoints() {
    lock.lock();
    try {
      pushEndpointsLocked();
    } catch (RuntimeException e) {
      log.debug("endpoints not pushed, next pass tries again: {}", e.toString());
    } finally {
      lock.unlock();
    }
  }

  /**
   * nginx binds its sockets before it daemonizes, so right after a start the control socket takes
   * the request and a worker answers it once it runs; a dead nginx refuses the connection.
   */
  private void pushEndpointsLocked() {
    Map<String, String> desired = EndpointTable.of(upstreams, sources.endpoints()::of);
    Map<String, String> actual = actualEndpoints();
    if (startedAt != null && scheduler.instant().isBefore(startedAt.plus(settings.startGrace()))) {
      desired = EndpointTable.keepServing(desired, actual);
    }
    String diff = EndpointTable.diff(desired, actual);
    if (!diff.isEmpty()) {
      control.post("/endpoints", diff);
    }
  }

  private Map<String, String> actualEndpoints() {
    Map<String, String> actual = new TreeMap<>();
    for (String line : control.get("/endpoints").split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("pid=")) {
        actual.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return actual;
  }

  /** nginx's request counters; empty when nginx is down. */
  GatewayCounters counters() {
    try {
      return GatewayCounters.parse(control.get("/metrics"));
    } catch (RuntimeException e) {
      return GatewayCounters.parse("");
    }
  }

  public GatewayStatus status() {
    OptionalLong master = nginx.master();
    Long worker;
    try {
      String first = control.get("/endpoints").lines().findFirst().orElse("");
      worker = first.startsWith("pid=") ? Long.parseLong(first.substring(4)) : null;
    } catch (RuntimeException e) {
      worker = null;
    }
    return new GatewayStatus(
        true,
        settings.managed() ? "managed" : "external",
        listen(),
        worker != null,
        master.isPresent() ? master.getAsLong() : null,
        worker,
        configHash,
        lastApply,
        reloads,
        restarts,
        lastError,
        routeCount,
        upstreams.size());
  }

  /** The config file Berth writes. */
  public java.nio.file.Path configFile() {
    return nginx.configFile();
  }

  private String listen() {
    return layout.listenAddress() + ":" + layout.httpPort();
  }

  private void emit(Event e) {
    events.emit(e);
  }

  static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops following changes; nginx keeps running (it serves while Berth is away). */
  @Override
  public void close() {
    for (AutoCloseable h : handles) {
      try {
        h.close();
      } catch (Exception e) {
        log.debug("closing {}: {}", h, e.toString());
      }
    }
  }

  /** Stops the managed nginx: for tests and for turning the gateway off. */
  void stopNginx() {
    nginx.quit();
  }
}
