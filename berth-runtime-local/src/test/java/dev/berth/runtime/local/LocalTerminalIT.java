package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.Terminal;
import dev.berth.core.support.ConflictException;
import dev.berth.core.task.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Terminals (runc with a TTY on a pseudo-terminal) into running instances and kept runs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalTerminalIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> LOOP = List.of("sh", "-c", "while true; do sleep 1; done");

  @TempDir static Path tmp;
  Host host;
  LocalRuntime rt;

  @BeforeAll
  void start() {
    host = new Host(tmp, 210);
    rt = host.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  /** Everything a terminal showed so far, read on a thread of its own. */
  static final class Screen {
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    Screen(InputStream output) {
      Thread.ofVirtual()
          .start(
              () -> {
                byte[] buf = new byte[4096];
                try {
                  for (int n; (n = output.read(buf)) >= 0; ) {
                    synchronized (seen) {
                      seen.write(buf, 0, n);
                    }
                  }
                } catch (IOException ended) {
                  // the terminal closed
                }
              });
    }

    String text() {
      synchronized (seen) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }
  }

  static void type(Terminal t, String keys) throws IOException {
    t.input().write(keys.getBytes(StandardCharsets.UTF_8));
    t.input().flush();
  }

  @Test
  void shellInARunningInstanceAnswersTypedCommandsAndFollowsResizes() throws Exception {
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            LOOP,
            List.of(),
            Map.of("MODE", "term"),
            List.of(),
            null,
            null,
            new Lifecycle(List.of(), List.of(), 2, true));
    rt.applyApp(AppWorkload.settled("tty", 1, Set.of(), 1, spec));
    await()
        .atMost(WAIT)
        .until(
            () -> rt.instances("tty").stream().anyMatch(i -> i.state() == InstanceState.RUNNING));
    Terminal t = rt.openTerminal("tty-0", List.of("sh"), 80, 24);
    Screen screen = new Screen(t.output());

    type(t, "echo hi-$((6*7)) $MODE; tty\n");
    await().atMost(WAIT).until(() -> screen.text().contains("hi-42 term"));
    await().atMost(WAIT).until(() -> screen.text().contains("/dev/pts/"));

    t.resize(123, 45);
    type(t, "stty size\n");
    await().atMost(WAIT).until(() -> screen.text().contains("45 123"));

    type(t, "exit 7\n");
    assertThat(t.exited().get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
    t.close();
    rt.deleteApp("tty");
  }

  @Test
  void closingATerminalEndsItsShell() throws Exception {
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            LOOP,
            List.of(),
            Map.of(),
            List.of(),
            null,
            null,
            new Lifecycle(List.of(), List.of(), 2, true));
    rt.applyApp(AppWorkload.settled("ttyclose", 1, Set.of(), 1, spec));
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances("ttyclose").stream()
                    .anyMatch(i -> i.state() == InstanceState.RUNNING));
    Terminal t = rt.openTerminal("ttyclose-0", List.of("sh"), 80, 24);
    t.close();
    t.exited().get(20, java.util.concurrent.TimeUnit.SECONDS);
    var left = rt.exec("ttyclose-0", List.of("sh", "-c", "ps | grep -c '[s]h$'"), WAIT);
    assertThat(left.output().trim()).as("shells left besides the loop").isEqualTo("0");
    rt.deleteApp("ttyclose");
  }

  @Test
  void terminalOnAKeptRunSeesItsFilesAndIsRemovedAfter() throws Exception {
    TaskSpec spec =
        new TaskSpec(
            "busybox:1",
            List.of("sh", "-c", "echo broken > /tmp/report; exit 2"),
            List.of(),
            Map.of(),
            null);
    rt.startRun(new RunWorkload("keptterm", "job", spec, null, Duration.ofSeconds(2), 0, true));
    await()
        .atMost(WAIT)
        .until(() -> rt.run("keptterm").filter(r -> r.state().isFinal()).isPresent());
    Terminal t = rt.openTerminal("keptterm", List.of("sh"), 80, 24);
    Screen screen = new Screen(t.output());
    type(t, "cat /tmp/report; stty size\n");
    await().atMost(WAIT).until(() -> screen.text().contains("broken"));
    await().atMost(WAIT).until(() -> screen.text().contains("24 80"));
    type(t, "exit\n");
    t.exited().get(20, java.util.concurrent.TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Cmd.check("runc", "--root", host.config.runcRoot().toString(), "list", "-q")
                    .lines()
                    .noneMatch(l -> l.startsWith("keptterm.term-")));

    rt.reclaimRun("keptterm");
    await().atMost(WAIT).until(() -> rt.run("keptterm").filter(r -> r.reclaimed()).isPresent());
    assertThatThrownBy(() -> rt.openTerminal("keptterm", List.of("sh"), 80, 24))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("no kept file system");
  }
}
