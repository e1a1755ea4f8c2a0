package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creates and deletes more than 200 instances and runs — healthy ones, ones whose command does not
 * exist (runc fails), ones the subnet has no address for, failed runs kept and then reclaimed — and
 * then counts what is left on the host: containers, mounts, network namespaces, veths, cgroup
 * directories (empty ones too) and reserved addresses. Every count must be zero.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleLeakIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int N = 61;

  /** 14 usable addresses after the bridge's own: small enough to run out. */
  static final String SUBNET = "10.201.61.0/28";

  static final List<String> LOOP = List.of("sh", "-c", "while true; do sleep 1 & wait $!; done");

  @TempDir static Path tmp;
  Host host;
  LocalRuntime rt;

  @BeforeAll
  void start() {
    host = new Host(tmp, N, SUBNET);
    rt = host.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  static AppSpec spec(List<String> command) {
    return new AppSpec(
        "busybox:1",
        command,
        List.of(),
        Map.of(),
        List.of(),
        null,
        null,
        new Lifecycle(List.of(), List.of(), 1, true));
  }

  void awaitAllRunning(String app, int count) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances(app).stream().filter(i -> i.state() == InstanceState.RUNNING).count()
                    == count);
  }

  void deleteAndAwait(String app) {
    rt.deleteApp(app);
    await().atMost(WAIT).until(() -> rt.instances(app).isEmpty());
  }

  @Test
  void twoHundredInstancesAndRunsComeAndGoWithoutLeavingAnythingBehind() throws Exception {
    int made = 0;
    // 12 waves of 10 healthy instances, taken away three different ways
    for (int wave = 0; wave < 12; wave++) {
      String app = "wave" + wave;
      rt.applyApp(AppWorkload.settled(app, 10, Set.of(), 1, spec(LOOP)));
      awaitAllRunning(app, 10);
      made += 10;
      switch (wave % 3) {
        case 0 -> deleteAndAwait(app);
        case 1 -> {
          rt.applyApp(AppWorkload.settled(app, 0, Set.of(), 1, spec(LOOP)));
          await().atMost(WAIT).until(() -> rt.instances(app).isEmpty());
          deleteAndAwait(app);
        }
        default -> {
          for (int o = 0; o < 10; o++) {
            rt.deleteInstance(app, o, false);
          }
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      rt.instances(app).stream()
                          .noneMatch(i -> i.state() == InstanceState.RUNNING));
          deleteAndAwait(app);
        }
      }
    }
    // runc cannot start a command that does not exist: each attempt must undo its own set-up
    rt.applyApp(AppWorkload.settled("broken", 5, Set.of(), 1, spec(List.of("/no/such/binary"))));
    await().atMost(WAIT).until(() -> host.reasons("broken-4").size() >= 2);
    made += 5;
    deleteAndAwait("broken");
    // more instances than the subnet has addresses: the ones without an address fail cleanly
    rt.applyApp(AppWorkload.settled("crowd", 20, Set.of(), 1, spec(LOOP)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances("crowd").stream()
                        .filter(i -> i.state() == InstanceState.RUNNING)
                        .count()
                    >= 10);
    made += 20;
    deleteAndAwait("crowd");
    // 100 runs: successes, failures, and failures kept for inspection and then reclaimed
    List<String> kept = new ArrayList<>();
    for (int batch = 0; batch < 10; batch++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "run-" + batch + "-" + i;
        boolean fail = i % 2 == 1;
        boolean keep = i == 9;
        rt.startRun(
            new RunWorkload(
                id,
                "job",
                new TaskSpec(
                    "busybox:1", List.of(fail ? "false" : "true"), List.of(), Map.of(), null),
                null,
                Duration.ofSeconds(1),
                0,
                keep));
        ids.add(id);
        if (keep) {
          kept.add(id);
        }
      }
      await()
          .atMost(WAIT)
          .until(
              () ->
                  ids.stream()
                      .allMatch(
                          id ->
                              rt.run(id)
                                  .map(RunStatus::state)
                                  .map(RunState::isFinal)
                                  .orElse(false)));
      made += 10;
    }
    for (String id : kept) {
      rt.reclaimRun(id);
    }
    await().atMost(WAIT).until(() -> rt.runs().stream().allMatch(RunStatus::reclaimed));
    assertThat(made).isGreaterThanOrEqualTo(200);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(leftovers()).as("what the lifecycle left on the host").isEmpty());
  }

  /** Everything of this runtime still on the host, one line per item. */
  List<String> leftovers() throws Exception {
    List<String> left = new ArrayList<>();
    Path root = host.config.runcRoot();
    if (Files.isDirectory(root)) {
      try (var ids = Files.list(root)) {
        ids.forEach(p -> left.add("container " + p.getFileName()));
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String target = line.split(" ")[1];
      if (target.startsWith(host.config.dataDir().toString())) {
        left.add("mount " + target);
      }
    }
    Path netns = Path.of("/var/run/netns");
    if (Files.isDirectory(netns)) {
      try (var all = Files.list(netns)) {
        List<String> names =
            all.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("berth-" + host.config.bridge() + "-"))
                .toList();
        // The namespaces made ahead of starts are the runtime's (removed on close), up to the
        // pool's size.
        List<String> ahead =
            names.stream()
                .filter(n -> n.startsWith("berth-" + host.config.bridge() + "-pool-"))
                .toList();
        if (ahead.size() > LocalRuntime.NETNS_AHEAD) {
          left.add("netns made ahead beyond the pool's size: " + ahead);
        }
        names.stream().filter(n -> !ahead.contains(n)).forEach(n -> left.add("netns " + n));
      }
    }
    Cmd.Result links = Cmd.run("ip", "-o", "link", "show", "master", host.config.bridge());
    links
        .output()
        .lines()
        .filter(l -> !l.isBlank())
        .forEach(l -> left.add("veth " + l.split(":")[1].trim()));
    for (String cg : Host.CGROUPS.children("/" + host.config.cgroupParent())) {
      left.add("cgroup " + cg);
    }
    Path ipam = host.config.dataDir().resolve("ipam.json");
    if (Files.exists(ipam)) {
      Matcher m = Pattern.compile("10\\.201\\.61\\.\\d+(?![\\d/])").matcher(Files.readString(ipam));
      while (m.find()) {
        left.add("address " + m.group());
      }
    }
    return left;
  }
}
