package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "an init process that reaps zombies". The entry leaves three orphans and then execs
 * a {@code sleep}, so the container's PID 1 is either tini (init on) or that {@code sleep} (init
 * off). An orphan is re-parented to the PID namespace's PID 1 when its subshell exits; when it
 * exits in turn only PID 1 can reap it. A {@code sleep} never calls wait(), so without an init the
 * three stay zombies (state Z) for the container's lifetime: the contrast test shows exactly that,
 * which is what makes the first test able to fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitReapingIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> ORPHANS_THEN_SLEEP =
      List.of("sh", "-c", "for i in 1 2 3; do (sleep 0.1 &); done; exec sleep 3600");

  @TempDir static Path tmp;
  Host host;
  LocalRuntime rt;

  @BeforeAll
  void start() {
    host = new Host(tmp, 140);
    rt = host.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  static AppSpec spec(boolean init) {
    return new AppSpec(
        "busybox:1",
        ORPHANS_THEN_SLEEP,
        List.of(),
        Map.of(),
        List.of(),
        null,
        null,
        new Lifecycle(List.of(), List.of(), 2, init));
  }

  long containerPid(String id) {
    Runc runc = new Runc("runc", host.config.runcRoot());
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances(id.substring(0, id.lastIndexOf('-'))).stream()
                    .anyMatch(i -> i.state() == InstanceState.RUNNING));
    return await()
        .atMost(WAIT)
        .until(
            () -> runc.state(id).filter(Runc.State::running).map(Runc.State::pid).orElse(0L),
            pid -> pid > 0);
  }

  @Test
  void anAppWithInitLeavesNoZombiesFromOrphanedChildren() throws Exception {
    rt.applyApp(AppWorkload.settled("reaped", 1, Set.of(), 1, spec(true)));
    long pid1 = containerPid("reaped-0");
    assertThat(command(pid1)).as("tini, bind-mounted at /.berth/init").isEqualTo("init");
    // Done when PID 1's tree is only tini and the sleep it started: the orphans ran, exited and
    // were reaped.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(descendants(pid1)).extracting(Proc::command).containsExactly("sleep"));
    assertThat(descendants(pid1)).noneMatch(Proc::zombie);
    rt.deleteApp("reaped");
    await().atMost(WAIT).until(() -> rt.instances("reaped").isEmpty());
  }

  @Test
  void anAppWithoutInitKeepsItsExitedOrphansAsZombies() throws Exception {
    rt.applyApp(AppWorkload.settled("unreaped", 1, Set.of(), 1, spec(false)));
    long pid1 = containerPid("unreaped-0");
    assertThat(command(pid1)).isEqualTo("sleep");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(descendants(pid1)).hasSize(3).allMatch(Proc::zombie));
    rt.deleteApp("unreaped");
    await().atMost(WAIT).until(() -> rt.instances("unreaped").isEmpty());
  }

  record Proc(long pid, long ppid, String command, char state) {
    boolean zombie() {
      return state == 'Z';
    }

    /**
     * Parses /proc/<pid>/stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
     */
    static Proc parse(String stat) {
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String[] rest = stat.substring(close + 2).split(" ");
      return new Proc(
          Long.parseLong(stat.substring(0, open).trim()),
          Long.parseLong(rest[1]),
          stat.substring(open + 1, close),
          rest[0].charAt(0));
    }
  }

  static String command(long pid) throws IOException {
    return Proc.parse(Files.readString(Path.of("/proc/" + pid + "/stat"))).command();
  }

  /** Every process below {@code root} on the host, found by walking parent links in /proc. */
  static List<Proc> descendants(long root) throws IOException {
    List<Proc> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      for (Path d :
          dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
              .toList()) {
        try {
          all.add(Proc.parse(Files.readString(d.resolve("stat"))));
        } catch (IOException gone) {
          // exited while listing
        }
      }
    }
    List<Proc> out = new ArrayList<>();
    List<Long> frontier = new ArrayList<>(List.of(root));
    while (!frontier.isEmpty()) {
      long parent = frontier.removeFirst();
      for (Proc p : all) {
        if (p.ppid() == parent) {
          out.add(p);
          frontier.add(p.pid());
        }
      }
    }
    return out;
  }
}
