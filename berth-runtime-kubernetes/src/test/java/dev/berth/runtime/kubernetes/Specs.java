package dev.berth.runtime.kubernetes;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Scheduling;
import dev.berth.core.app.Security;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.task.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** App specs for the tests: one that uses every field, and a minimal one. */
final class Specs {
  private Specs() {}

  static AppSpec full() {
    return new AppSpec(
        "registry.example/demo/web:2",
        List.of("httpd"),
        List.of("-f", "-p", "8080"),
        Map.of("MODE", "demo", "A_FIRST", "1"),
        List.of(new PortSpec("http", 8080, "tcp"), new PortSpec("metrics", 9090, "tcp")),
        new Resources(0.5, 2, 512, CpuPolicy.SHARES, 0),
        new Health(
            new Probe(ProbeType.TCP, 8080, null, null, 5, 10, 2, 4, 1),
            new Probe(ProbeType.HTTP, null, "/ready", null, 1, 3, 1, 2, 2)),
        new Lifecycle(
            List.of("sh", "-c", "echo started"), List.of("sh", "-c", "sleep 2"), 45, true));
  }

  static AppSpec minimal(String image) {
    return new AppSpec(image, null, null, null, null, null, null, null);
  }

  /** An app name and its spec, one case of {@link #broad()}. */
  record Case(String name, String app, AppSpec spec) {}

  /**
   * Specs that Berth accepts, chosen to reach every branch of the manifests and the edges of the
   * rules: many ports, the longest name, every probe type, cpuset, hooks, scheduling, the
   * restricted profile.
   */
  static List<Case> broad() {
    List<PortSpec> many = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(new PortSpec("p-" + i, 8000 + i, i % 2 == 0 ? "tcp" : "udp"));
    }
    Map<String, String> env = new java.util.TreeMap<>();
    for (int i = 0; i < 200; i++) {
      env.put("VAR_" + i + (i % 3 == 0 ? ".x-y" : ""), "value " + i + " ünïcödé");
    }
    Probe tcp = new Probe(ProbeType.TCP, 8080, null, null, 0, 1, 1, 1, 1);
    Probe http = new Probe(ProbeType.HTTP, 8080, "/health?deep=1", null, 3600, 3600, 600, 10, 5);
    Probe cmd = new Probe(ProbeType.CMD, null, null, List.of("cat", "/tmp/ready"), 0, 0, 0, 0, 0);
    return List.of(
        new Case("minimal", "w", minimal("busybox:1")),
        new Case("longest name", "a" + "-b".repeat(24) + "c", minimal("busybox:1")),
        new Case(
            "many ports",
            "many-ports",
            new AppSpec("img:1", null, null, null, many, null, null, null)),
        new Case(
            "one unnamed port",
            "unnamed",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                List.of(new PortSpec(null, 80, null)),
                null,
                null,
                null)),
        new Case(
            "tcp and http probes",
            "probes",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                List.of(new PortSpec("http", 8080, null)),
                null,
                new Health(tcp, http),
                null)),
        new Case(
            "cmd probes",
            "cmd-probes",
            new AppSpec("img:1", null, null, null, null, null, new Health(cmd, cmd), null)),
        new Case(
            "cpuset",
            "pinned",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                new Resources(2.5, 0, 1024, CpuPolicy.CPUSET, 0),
                null,
                null)),
        new Case(
            "smallest cpu and memory",
            "tiny",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                new Resources(0.001, 0.001, 4, null, 8),
                null,
                null)),
        new Case(
            "largest cpu and memory",
            "huge",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                new Resources(256, 256, 1_048_576, null, 1_000_000),
                null,
                null)),
        new Case(
            "hooks without init",
            "hooks",
            new AppSpec(
                "img:1",
                List.of("sh", "-c", "exec httpd"),
                List.of("--", "-x"),
                env,
                null,
                null,
                null,
                new Lifecycle(List.of("touch", "/tmp/up"), List.of("sleep", "1"), 3600, false))),
        new Case(
            "scheduling",
            "placed",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new Scheduling(
                    "gpu",
                    Map.of("example.com/disk", "ssd", "tier", ""),
                    Map.of("topology.kubernetes.io/zone", "zone-a"),
                    Scheduling.Spread.STRICT,
                    List.of(
                        new Scheduling.AppAffinity("db", false, true),
                        new Scheduling.AppAffinity("cache", false, false),
                        new Scheduling.AppAffinity("batch", true, true),
                        new Scheduling.AppAffinity("noisy", true, false))))),
        new Case(
            "restricted with a user",
            "locked",
            withSecurity(validFull(), new Security(Security.Profile.RESTRICTED, 1000L))),
        new Case(
            "restricted with the image's user",
            "locked-image",
            withSecurity(minimal("img:1"), new Security(Security.Profile.RESTRICTED, null))),
        new Case("every field", "full", withSecurity(validFull(), Security.BASELINE)),
        new Case(
            "guaranteed chosen",
            "guaranteed",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                new Resources(0.25, 0.25, 512, null, 0).withQos(QosClass.GUARANTEED),
                null,
                null)),
        new Case(
            "best effort chosen",
            "best-effort",
            new AppSpec(
                "img:1",
                null,
                null,
                null,
                null,
                new Resources(0, 0, 256, null, 0).withQos(QosClass.BEST_EFFORT),
                null,
                null)));
  }

  /** {@link #full()} with the readiness check's port given, as validation wants. */
  static AppSpec validFull() {
    AppSpec f = full();
    Probe r = f.health().readiness();
    return new AppSpec(
        f.image(),
        f.command(),
        f.args(),
        f.env(),
        f.ports(),
        f.resources(),
        new Health(
            f.health().liveness(),
            new Probe(
                r.type(),
                8080,
                r.path(),
                r.command(),
                r.initialDelaySeconds(),
                r.periodSeconds(),
                r.timeoutSeconds(),
                r.failureThreshold(),
                r.successThreshold())),
        f.lifecycle());
  }

  static AppSpec withSecurity(AppSpec s, Security security) {
    return new AppSpec(
        s.image(),
        s.command(),
        s.args(),
        s.env(),
        s.ports(),
        s.resources(),
        s.health(),
        s.lifecycle(),
        s.scheduling(),
        security);
  }

  /** Task runs at the edges: the longest run id, no timeout, retries, a cpuset. */
  static List<RunWorkload> runs() {
    String task = "t" + "-x".repeat(19) + "z";
    return List.of(
        run("report-1", 0, null, false),
        run("report-2", 10, Duration.ofDays(7), true),
        new RunWorkload(
            task + "-9223372036854775807",
            task,
            new TaskSpec(
                "img:1",
                null,
                null,
                Map.of("A", ""),
                new Resources(4, 0, 2048, CpuPolicy.CPUSET, 0)),
            Duration.ofSeconds(1),
            Duration.ZERO,
            3,
            false),
        new RunWorkload(
            "offline-1",
            "offline",
            new TaskSpec(
                "img:1", null, null, null, Resources.DEFAULT.withQos(QosClass.BEST_EFFORT)),
            null,
            null,
            0,
            false));
  }

  static AppWorkload settled(String app, int instances, AppSpec spec) {
    return AppWorkload.settled(app, instances, Set.of(), 1, spec);
  }

  /**
   * A release of {@code app} from revision 1 ({@code img:1}) to revision 2 ({@code img:2}) at
   * {@code partition}, with the ordinals {@code chosen} to go first.
   */
  static AppWorkload release(String app, int instances, int partition, Integer... chosen) {
    return new AppWorkload(
        app,
        instances,
        Set.of(),
        1,
        minimal("img:1"),
        2,
        minimal("img:2"),
        partition,
        Set.of(chosen));
  }

  static RunWorkload run(String id, int retries, Duration timeout, boolean keep) {
    return new RunWorkload(
        id,
        "report",
        new TaskSpec("busybox:1", List.of("sh", "-c", "echo hi"), null, Map.of("K", "v"), null),
        timeout,
        Duration.ofSeconds(5),
        retries,
        keep);
  }
}
