package dev.berth.runtime.local;

import dev.berth.core.app.Resources;
import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import dev.berth.core.node.Eviction;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.time.Scheduler;
import dev.berth.oci.ImageStore;
import dev.berth.runtime.local.cgroup.Cgroups;
import dev.berth.runtime.local.metrics.CpuRates;
import dev.berth.runtime.local.metrics.HostMetrics;
import dev.berth.runtime.local.metrics.WorkloadMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded single-host runtime: every instance is a runc container with an overlay root file
 * system, its own network namespace with a fixed IP on a bridge, cgroup limits from its resources,
 * supervised with restart back-off, probes, rotated console logs and OOM detection.
 *
 * <p>Containers outlive this object and the JVM: each runs under a small shell shim in its own
 * session that records the exit status in the bundle. A new {@code LocalRuntime} on the same data
 * directory re-adopts running containers, each with the readiness it last had when it is still the
 * same container, and handles those that exited meanwhile. {@link #close()} stops the supervision
 * only.
 *
 * <p>Shape: this class keeps the tables of supervisors and routes calls to them. A {@link
 * Supervisor} per instance and a {@link RunSupervisor} per run hold their state machines; both
 * drive containers through one {@link ContainerLifecycle} ({@link RuncLifecycle}, with its
 * collaborators in {@link LifecycleParts}) and report through a {@link SupervisorListener}; none of
 * them holds a reference to this class.
 *
 * <p>Threads: a supervisor's mailbox drains on a virtual thread while it has signals, probes check
 * on virtual threads, and every timer (back-off, deadlines, probe ticks, log rotation, the safety
 * poll of adopted shims) runs on the injected {@link Scheduler}. All public methods are thread-safe
 * and return quickly; the work happens in the supervisors and shows in {@link #observe
 * observations}.
 */
public final class LocalRuntime implements ClusterRuntime {
  private static final Logger log = LoggerFactory.getLogger(LocalRuntime.class);

  /** Network namespaces kept made ahead of starts (each costs a few KiB of kernel memory). */
  static final int NETNS_AHEAD = 4;

  /**
   * How long the constructor waits for the adopted instances to know whether their containers still
   * run (each looks for its shim process; quick unless the host is overloaded).
   */
  static final Duration ADOPTION_WAIT = Duration.ofSeconds(30);

  private static final List<Path> INIT_CANDIDATES =
      List.of(Path.of("/usr/bin/tini-static"), Path.of("/usr/bin/tini"));

  private final LocalRuntimeConfig config;
  private final ImageStore images;
  private final Scheduler scheduler;
  final Runc runc;
  final Ipam ipam;
  final Network network;
  final ContainerCgroups cgroups;
  private final FileWatch watch;
  private final HttpClient http;
  private final String nodeName;
  private final HostMetrics hostMetrics;
  private final CpuRates cpuRates = new CpuRates();
  private final SupervisorParts parts;
  private final List<Scheduler.Cancellable> chores = new ArrayList<>();
  private final Object table = new Object();
  private final Map<String, Supervisor> supervisors = new HashMap<>();
  private final Set<String> offline = ConcurrentHashMap.newKeySet();
  private final Map<String, RunSupervisor> runs = new HashMap<>();
  private final Observations observations;

  /**
   * Ids deleted without replacement (or with their app) whose address goes once they are removed;
   * guarded by table.
   */
  private final Set<String> releaseWhenRemoved = new HashSet<>();

  private volatile boolean closed;

  /** The node's cordon: what waits for it and the mark in the data directory. */
  private final Cordon cordon;

  /**
   * Prepares the host (bridge, directories), then re-adopts the instances found in the data
   * directory. {@code scheduler} gives the time and runs every timer; the caller owns it (closing
   * this runtime does not close the scheduler).
   *
   * @throws RuntimeFailure when the bridge or the data directory cannot be set up
   */
  public LocalRuntime(LocalRuntimeConfig config, ImageStore images, Scheduler scheduler) {
    this.config = config;
    this.images = images;
    this.scheduler = scheduler;
    this.observations = new Observations(config.cluster(), scheduler);
    this.runc = new Runc(config.runc(), config.runcRoot());
    Subnet subnet = Subnet.parse(config.subnet());
    this.network = new Network(config.bridge(), subnet);
    network.resolveOnBridge(config.bridgeDns());
    try {
      Files.createDirectories(config.dataDir().resolve("instances"));
      Files.createDirectories(config.dataDir().resolve("logs"));
      Files.createDirectories(config.dataDir().resolve("runs"));
      Files.createDirectories(config.runcRoot());
    } catch (IOException e) {
      throw new RuntimeFailure(
          "cannot create the data directory " + config.dataDir() + ": " + e.getMessage(), e);
    }
    this.ipam = new Ipam(config.dataDir().resolve("ipam.json"), subnet);
    this.cgroups = ContainerCgroups.forHost(config.cgroupParent());
    this.nodeName = HostInfo.hostname();
    this.hostMetrics = HostMetrics.of(images.directory().orElse(config.dataDir()));
    this.cordon = new Cordon(config.dataDir(), nodeName, network.gateway());
    network.ensureBridge();
    network.prepareAhead(NETNS_AHEAD);
    this.watch = new FileWatch();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    LifecycleParts life =
        new LifecycleParts(
            runc,
            ipam,
            network,
            cgroups,
            Cpusets.forHost(),
            images,
            watch,
            scheduler,
            findStaticInit());
    this.parts =
        new SupervisorParts(
            new RuncLifecycle(life),
            scheduler,
            new Backoff(config.backoffInitial(), config.backoffMax(), Backoff.RESET_AFTER),
            Prober.Factory.real(runc, http, scheduler),
            config.dataDir(),
            config.logRetention(),
            nodeName,
            network.gateway(),
            Mailbox::virtualThread);
    adoptAll();
    adoptRuns();
    chores.add(
        scheduler.scheduleWithFixedDelay(
            Duration.ofSeconds(2), Duration.ofSeconds(2), this::rotateLogs));
    chores.add(
        scheduler.scheduleWithFixedDelay(Duration.ZERO, Duration.ofHours(1), this::sweepLogs));
  }

  @Override
  public String cluster() {
    return config.cluster();
  }

  @Override
  public void applyApp(AppWorkload desired) {
    Set<Integer> wanted = new HashSet<>();
    synchronized (table) {
      for (InstanceSlot slot : desired.slots()) {
        wanted.add(slot.ordinal());
        Supervisor existing = supervisors.get(slot.id());
        if (cordon.on() && (existing == null || existing.removed() || cordon.holds(slot.id()))) {
          cordon.hold(slot, scheduler.instant()).ifPresent(observations::changed);
          continue;
        }
        supervisor(desired.app(), slot.ordinal(), true).send(new Supervisor.Apply(slot));
      }
      cordon.keepOnly(desired.app(), wanted).forEach(id -> observations.removed(desired.app(), id));
      for (Supervisor s : List.copyOf(supervisors.values())) {
        if (s.app.equals(desired.app()) && !wanted.contains(s.ordinal)) {
          s.send(new Supervisor.Remove(false));
        }
      }
    }
  }

  /**
   * Removes every instance; the app's reserved addresses go once each instance is gone (those of
   * scaled-down ordinals at once).
   */
  /**
   * {@code runc update} on each instance's container (cgroup v1 and v2), then the instances report
   * {@code revision}; see {@link InPlaceResize}. Instances already changed when a later one fails
   * keep the new revision, so the release that follows replaces only the others.
   */
  @Override
  public dev.berth.core.runtime.ResizeResult resizeInPlace(
      String app, long revision, dev.berth.core.app.AppSpec spec) {
    List<Supervisor> mine;
    synchronized (table) {
      mine = supervisors.values().stream().filter(s -> s.app.equals(app) && !s.removed()).toList();
    }
    return InPlaceResize.apply(
        mine,
        app,
        revision,
        spec,
        id ->
            cgroups
                .stats(id)
                .map(Cgroups.Stats::workingSetBytes)
                .orElse(java.util.OptionalLong.empty()));
  }

  @Override
  public void deleteApp(String app) {
    cordon.keepOnly(app, Set.of()).forEach(id -> observations.removed(app, id));
    synchronized (table) {
      Set<String> reserved = new HashSet<>(ipam.reservedFor(app));
      supervisors.values().stream()
          .filter(s -> s.app.equals(app))
          .forEach(
              s -> {
                reserved.remove(s.id);
                releaseWhenRemoved.add(s.id);
                s.send(new Supervisor.Remove(false));
              });
      reserved.forEach(ipam::release);
    }
  }

  /**
   * Without {@code replace} the ordinal's address is released once the instance is gone; scaling
   * down keeps it.
   */
  @Override
  public void deleteInstance(String app, int ordinal, boolean replace) {
    String id = InstanceIds.id(app, ordinal);
    synchronized (table) {
      Supervisor s = supervisors.get(id);
      if (s != null) {
        if (!replace) {
          releaseWhenRemoved.add(id);
        }
        s.send(new Supervisor.Remove(replace));
      } else if (!replace) {
        ipam.release(id);
      }
    }
  }

  @Override
  public void restartInstance(String app, int ordinal) {
    synchronized (table) {
      Supervisor s = supervisors.get(InstanceIds.id(app, ordinal));
      if (s == null) {
        throw new NotFoundException("instance", InstanceIds.id(app, ordinal));
      }
      s.send(new Supervisor.Restart());
    }
  }

  @Override
  public List<Instance> instances(String app) {
    List<Supervisor> mine;
    synchronized (table) {
      mine = supervisors.values().stream().filter(s -> s.app.equals(app)).toList();
    }
    List<Instance> waiting = cordon.instances(app);
    return Stream.concat(
            mine.stream()
                .filter(s -> !s.removed() && !cordon.holds(s.id))
                .map(Supervisor::snapshot),
            waiting.stream())
        .map(i -> offline.contains(i.id()) ? offline(i) : i)
        .sorted(Comparator.comparingInt(Instance::ordinal))
        .toList();
  }

  /**
   * Remembers which instances are out of traffic, so that {@link #instances} reports them {@code
   * online: false}. Berth's own discovery, DNS and gateway route the local cluster's traffic from
   * Berth's database, which also puts this back after a restart; nothing else changes here.
   */
  @Override
  public void setOnline(String app, int ordinal, boolean online) {
    String id = InstanceIds.id(app, ordinal);
    if (online) {
      offline.remove(id);
    } else {
      offline.add(id);
    }
  }

  private static Instance offline(Instance i) {
    return new Instance(
        i.id(),
        i.app(),
        i.ordinal(),
        i.node(),
        i.ip(),
        i.hostIp(),
        i.revision(),
        i.state(),
        i.ready(),
        i.restarts(),
        i.lastExit(),
        i.startedAt(),
        false,
        i.message());
  }

  @Override
  public void observe(ObservationListener listener) {
    observations.add(listener);
  }

  @Override
  public String resolveImage(String image) {
    long began = System.nanoTime();
    String digest = images.resolve(image);
    StartTimer.logResolve(image, System.nanoTime() - began);
    return digest;
  }

  @Override
  public ExecResult exec(String instanceId, List<String> command, Duration timeout) {
    Supervisor s;
    RunSupervisor r;
    synchronized (table) {
      s = supervisors.get(instanceId);
      r = runs.get(instanceId);
    }
    if (r != null) {
      return r.exec(command, timeout);
    }
    if (s == null || s.removed()) {
      throw new NotFoundException("instance", instanceId);
    }
    return s.exec(command, timeout);
  }

  @Override
  public dev.berth.core.runtime.Terminal openTerminal(
      String instanceId, List<String> command, int columns, int rows) {
    Supervisor s;
    RunSupervisor r;
    synchronized (table) {
      s = supervisors.get(instanceId);
      r = runs.get(instanceId);
    }
    if (r != null) {
      return r.terminal(command, columns, rows);
    }
    if (s == null || s.removed()) {
      throw new NotFoundException("instance", instanceId);
    }
    return s.terminal(command, columns, rows);
  }

  @Override
  public LogStream logs(String instanceId, LogQuery query) {
    int dash = instanceId.lastIndexOf('-');
    if (dash <= 0) {
      throw new NotFoundException("instance log", instanceId);
    }
    boolean run;
    synchronized (table) {
      run = runs.containsKey(instanceId);
    }
    run = run || Files.exists(InstanceDirs.ofRun(config.dataDir(), instanceId).console());
    InstanceDirs dirs =
        run
            ? InstanceDirs.ofRun(config.dataDir(), instanceId)
            : InstanceDirs.of(config.dataDir(), instanceId.substring(0, dash), instanceId);
    if (!Files.exists(dirs.console())) {
      throw new NotFoundException("instance log", instanceId);
    }
    try {
      return new FileLogStream(dirs.console(), query, config.logFiles(), scheduler);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot read the log of " + instanceId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<NodeInfo> nodes() {
    List<Supervisor> all;
    List<RunSupervisor> active;
    synchronized (table) {
      all = List.copyOf(supervisors.values());
      active = runs.values().stream().filter(r -> !r.snapshot().state().isFinal()).toList();
    }
    List<Resources> running = new ArrayList<>();
    for (Supervisor s : all) {
      var spec = s.spec();
      if (spec != null && !s.removed()) {
        running.add(spec.resources());
      }
    }
    active.forEach(r -> running.add(r.work.spec().resources()));
    double cpu = 0;
    long mem = 0;
    for (Resources r : running) {
      cpu += r.cpu();
      mem += r.memoryMiB();
    }
    NodeInfo node =
        cordon.apply(
            HostInfo.node(
                config.cluster(),
                nodeName,
                network.gateway(),
                runc.version(),
                new NodeInfo.Capacity(cpu, mem, running.size())));
    return List.of(
        node.withDetails(
            LocalNodeDetails.of(
                running,
                node.allocatable().pods(),
                LocalNodeDetails.HostCounters.read(Path.of("/proc")))));
  }

  /**
   * Cordons or uncordons the one node. While cordoned, instances that would start and new runs wait
   * pending with the reason; uncordoning starts them. The mark survives a restart.
   */
  @Override
  public void setSchedulable(String node, boolean schedulable) {
    if (!nodeName.equals(node)) {
      throw new NotFoundException("node", node);
    }
    Cordon.Waiting waiting;
    synchronized (table) {
      waiting = cordon.set(!schedulable);
      for (InstanceSlot slot : waiting.instances()) {
        supervisor(slot.app(), slot.ordinal(), true).send(new Supervisor.Apply(slot));
      }
    }
    waiting.runs().forEach(this::startRun);
  }

  /** Sets and removes labels of the one node; they are kept in the data directory. */
  @Override
  public void labelNode(String node, Map<String, String> labels) {
    if (!nodeName.equals(node)) {
      throw new NotFoundException("node", node);
    }
    cordon.label(labels);
  }

  /**
   * Stops the instance; while the node is cordoned it waits pending instead of starting again (the
   * node is the only one: there is nowhere else to go). Uncordoned, it starts again at once.
   */
  @Override
  public Eviction evict(String app, int ordinal, int maxUnavailable) {
    String id = InstanceIds.id(app, ordinal);
    synchronized (table) {
      Supervisor s = supervisors.get(id);
      if (s == null || s.removed() || cordon.holds(id)) {
        return Eviction.DONE;
      }
      if (!cordon.on()) {
        s.send(new Supervisor.Remove(true));
        return Eviction.DONE;
      }
      Instance now = s.snapshot();
      cordon.hold(new InstanceSlot(app, ordinal, now.revision(), s.spec()), scheduler.instant());
      s.send(new Supervisor.Remove(false));
    }
    return Eviction.DONE;
  }

  /**
   * The host's metrics (from {@code /proc}) and every instance's and running run's (from its
   * cgroup). An instance whose container is not running reports only its counters.
   */
  @Override
  public List<Sample> usage() {
    Instant now = scheduler.instant();
    List<Sample> out = new ArrayList<>(hostMetrics.read(config.cluster(), nodeName, now));
    List<Supervisor> all;
    List<RunSupervisor> active;
    synchronized (table) {
      all = List.copyOf(supervisors.values());
      active = List.copyOf(runs.values());
    }
    for (Supervisor s : all) {
      if (s.removed()) {
        continue;
      }
      Instance i = s.snapshot();
      Map<String, String> labels = labels(MetricNames.APP, s.app, MetricNames.INSTANCE, s.id);
      // the live cgroup's kills count only while the instance runs: once its end is collected,
      // they are in the supervisor's count (and the cgroup may linger until runc deletes it)
      Optional<Cgroups.Stats> stats =
          i.state() == InstanceState.RUNNING ? cgroups.stats(s.id) : Optional.empty();
      out.addAll(
          stats
              .map(st -> WorkloadMetrics.instance(labels, st, s.oomKills(), i.restarts(), now))
              .orElseGet(
                  () -> WorkloadMetrics.stoppedInstance(labels, s.oomKills(), i.restarts(), now)));
    }
    for (RunSupervisor r : active) {
      if (r.snapshot().state().isFinal()) {
        continue;
      }
      Map<String, String> labels = labels(MetricNames.TASK, r.work.task(), MetricNames.RUN, r.id);
      cgroups.stats(r.id).ifPresent(st -> out.addAll(WorkloadMetrics.run(labels, st, now)));
    }
    synchronized (cpuRates) {
      return cpuRates.withUsage(out);
    }
  }

  /** The labels of a workload's samples: this cluster and node, and the two given. */
  private Map<String, String> labels(String key, String value, String key2, String value2) {
    return Map.of(
        MetricNames.CLUSTER,
        config.cluster(),
        MetricNames.NODE,
        nodeName,
        key,
        value,
        key2,
        value2);
  }

  /**
   * Stops supervising, probing and rotating. Containers keep running; a new runtime re-adopts them.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (table) {
      supervisors.values().forEach(s -> s.send(new Supervisor.Close()));
      runs.values().forEach(r -> r.send(new RunSupervisor.Close()));
    }
    chores.forEach(Scheduler.Cancellable::cancel);
    http.close();
    watch.close();
    network.close();
  }

  /**
   * An instance's supervisor finished removing it: it leaves the table unless more work is queued.
   * Its address is released when the instance was deleted without replacement or with its app, and
   * kept reserved when it was scaled down.
   */
  private void leaveTable(String id) {
    synchronized (table) {
      if (releaseWhenRemoved.remove(id)) {
        ipam.release(id);
      }
      Supervisor s = supervisors.get(id);
      if (s != null && s.idle()) {
        supervisors.remove(id);
        s.send(new Supervisor.Close());
      }
    }
  }

  private Supervisor supervisor(String app, int ordinal, boolean create) {
    String id = InstanceIds.id(app, ordinal);
    Supervisor s = supervisors.get(id);
    if (s == null && create) {
      s = new Supervisor(parts, app, ordinal, observations.instance(app, id, () -> leaveTable(id)));
      supervisors.put(id, s);
    }
    return s;
  }

  private void adoptRuns() {
    Path root = config.dataDir().resolve("runs");
    List<Path> records;
    try (Stream<Path> dirs = Files.list(root)) {
      records = dirs.map(d -> d.resolve("run.json")).filter(Files::exists).toList();
    } catch (IOException e) {
      throw new RuntimeFailure("cannot scan " + root + ": " + e.getMessage(), e);
    }
    synchronized (table) {
      for (Path file : records) {
        try {
          RunRecord rec = RunRecord.read(file);
          RunSupervisor r =
              new RunSupervisor(parts, rec.workload(), observations.run(rec.runId(), rec.task()));
          r.restore(rec);
          runs.put(r.id, r);
          r.send(new RunSupervisor.Adopt(rec));
        } catch (IOException | RuntimeException e) {
          log.warn("cannot adopt the run recorded in {}: {}", file, e.toString());
        }
      }
    }
  }

  private void adoptAll() {
    Path root = config.dataDir().resolve("instances");
    List<Path> states = new ArrayList<>();
    try (Stream<Path> apps = Files.list(root)) {
      for (Path appDir : apps.toList()) {
        try (Stream<Path> ids = Files.list(appDir)) {
          ids.map(d -> d.resolve("state.json")).filter(Files::exists).forEach(states::add);
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure("cannot scan " + root + ": " + e.getMessage(), e);
    }
    List<CompletableFuture<Void>> decided = new ArrayList<>();
    synchronized (table) {
      for (Path state : states) {
        try {
          InstanceRecord rec = InstanceRecord.read(state);
          Supervisor.Adopt adopt = new Supervisor.Adopt(rec);
          decided.add(adopt.decided());
          supervisor(rec.app(), rec.ordinal(), true).send(adopt);
        } catch (IOException | RuntimeException e) {
          log.warn("cannot adopt the instance recorded in {}: {}", state, e.toString());
        }
      }
    }
    // The first listing after a restart already shows which containers still run and which of
    // them are ready, so discovery's first answer is right; restarts of ended ones go on behind.
    // allOf completes with null, which an await answers as empty: wait for a value instead.
    if (Waits.await(
            CompletableFuture.allOf(decided.toArray(CompletableFuture[]::new))
                .thenApply(done -> Boolean.TRUE),
            ADOPTION_WAIT,
            scheduler)
        .isEmpty()) {
      log.warn(
          "adopting the instances took over {}; listing them before all are known", ADOPTION_WAIT);
    }
  }

  private void rotateLogs() {
    List<InstanceDirs> all = new ArrayList<>();
    synchronized (table) {
      supervisors.values().forEach(s -> all.add(s.dirs()));
      runs.values().stream()
          .filter(r -> !r.snapshot().state().isFinal())
          .forEach(r -> all.add(r.dirs()));
    }
    for (InstanceDirs d : all) {
      try {
        ConsoleLogs.rotateIfNeeded(d.console(), config.logMaxBytes(), config.logFiles());
      } catch (IOException | RuntimeException e) {
        log.warn("{}: cannot rotate the console log: {}", d.logDir().getFileName(), e.toString());
      }
    }
  }

  /** Deletes the logs of instances that no longer exist once they are older than the retention. */
  private void sweepLogs() {
    Path logs = config.dataDir().resolve("logs");
    try (Stream<Path> apps = Files.list(logs)) {
      for (Path appDir : apps.toList()) {
        try (Stream<Path> ids = Files.list(appDir)) {
          for (Path dir : ids.toList()) {
            boolean live;
            synchronized (table) {
              live =
                  supervisors.containsKey(dir.getFileName().toString())
                      || runs.containsKey(dir.getFileName().toString());
            }
            Path console = dir.resolve(ConsoleLogs.NAME);
            if (!live
                && (!Files.exists(console)
                    || Files.getLastModifiedTime(console)
                        .toInstant()
                        .plus(config.logRetention())
                        .isBefore(scheduler.instant()))) {
              Fs.deleteTree(dir);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("log retention sweep failed: {}", e.toString());
    }
    sweepRuns();
  }

  /** Forgets reclaimed runs (record and log) that ended longer than the log retention ago. */
  private void sweepRuns() {
    List<RunSupervisor> old;
    synchronized (table) {
      old =
          runs.values().stream()
              .filter(
                  r -> {
                    RunStatus s = r.snapshot();
                    return s.state().isFinal()
                        && s.reclaimed()
                        && s.endedAt() != null
                        && s.endedAt().plus(config.logRetention()).isBefore(scheduler.instant());
                  })
              .toList();
      old.forEach(
          r -> {
            runs.remove(r.id);
            r.send(new RunSupervisor.Close());
          });
    }
    for (RunSupervisor r : old) {
      try {
        Fs.deleteTree(r.dirs().logDir());
        Fs.deleteTree(r.dirs().runRecord().getParent());
      } catch (IOException | RuntimeException e) {
        log.warn("{}: cannot delete the run's record and log: {}", r.id, e.toString());
      }
    }
  }

  private static Path findStaticInit() {
    for (Path p : INIT_CANDIDATES) {
      if (Files.isExecutable(p) && HostInfo.isStatic(p)) {
        return p;
      }
    }
    log.info(
        "no static tini found ({}): instances asking for an init run their entry directly",
        INIT_CANDIDATES);
    return null;
  }

  // --- task runs

  /**
   * Starts a run: records it, then its supervisor prepares and starts the first attempt. Idempotent
   * on the run id (a known run, running or ended, is left alone).
   *
   * @throws RuntimeFailure when the run cannot be recorded in the data directory
   */
  @Override
  public void startRun(RunWorkload run) {
    Objects.requireNonNull(run, "run must not be null");
    if (run.runId() == null || !run.runId().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException("runId must be a DNS-1123 label, was " + run.runId());
    }
    Objects.requireNonNull(run.spec(), "run.spec must not be null");
    if (cordon.on()) {
      boolean known;
      synchronized (table) {
        known = runs.containsKey(run.runId());
      }
      if (!known) {
        cordon.hold(run, scheduler.instant()).ifPresent(observations::changed);
      }
      return;
    }
    synchronized (table) {
      if (runs.containsKey(run.runId()) || supervisors.containsKey(run.runId())) {
        return;
      }
      RunSupervisor r = new RunSupervisor(parts, run, observations.run(run.runId(), run.task()));
      try {
        r.persistQueued();
      } catch (IOException e) {
        throw new RuntimeFailure("cannot record run " + run.runId() + ": " + e.getMessage(), e);
      }
      runs.put(r.id, r);
      r.send(new RunSupervisor.Start());
    }
  }

  @Override
  public void stopRun(String runId, Duration grace) {
    cordon
        .release(runId)
        .ifPresent(
            w ->
                observations.changed(
                    new RunStatus(
                        runId,
                        dev.berth.core.task.RunState.CANCELLED,
                        0,
                        null,
                        nodeName,
                        network.gateway(),
                        true,
                        null,
                        scheduler.instant(),
                        "Run cancelled while " + cordon.reason())));
    run(runId, new RunSupervisor.Stop(grace));
  }

  @Override
  public void reclaimRun(String runId) {
    run(runId, new RunSupervisor.Reclaim());
  }

  @Override
  public Optional<RunStatus> run(String runId) {
    RunSupervisor r;
    synchronized (table) {
      r = runs.get(runId);
    }
    return Optional.ofNullable(r).map(RunSupervisor::snapshot).or(() -> cordon.run(runId));
  }

  @Override
  public List<RunStatus> runs() {
    List<RunSupervisor> all;
    synchronized (table) {
      all = List.copyOf(runs.values());
    }
    return Stream.concat(all.stream().map(RunSupervisor::snapshot), cordon.runs().stream())
        .sorted(Comparator.comparing(RunStatus::runId))
        .toList();
  }

  private void run(String runId, RunSupervisor.Signal signal) {
    synchronized (table) {
      RunSupervisor r = runs.get(runId);
      if (r != null) {
        r.send(signal);
      }
    }
  }
}
