package dev.berth.runtime.kubernetes;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.Resources;
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
        new Lifecycle(List.of("sh", "-c", "echo started"), List.of("sh", "-c", "sleep 2"), 45, true));
  }

  static AppSpec minimal(String image) {
    return new AppSpec(image, null, null, null, null, null, null, null);
  }

  static AppWorkload settled(String app, int instances, AppSpec spec) {
    return AppWorkload.settled(app, instances, Set.of(), 1, spec);
  }

  static RunWorkload run(String id, int retries, Duration timeout, boolean keep) {
    return new RunWorkload(id, "report", new TaskSpec("busybox:1", List.of("sh", "-c", "echo hi"), null, Map.of("K", "v"), null), timeout, Duration.ofSeconds(5), retries, keep);
  }
}
