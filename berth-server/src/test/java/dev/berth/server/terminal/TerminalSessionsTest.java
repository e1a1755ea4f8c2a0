package dev.berth.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.Terminal;
import dev.berth.core.time.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The registry of open terminals with moved time: idle terminals and terminals of stopped instances
 * are closed, each end reported once with how long it lasted and why.
 */
class TerminalSessionsTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  final ManualScheduler time = new ManualScheduler(T0);
  final AtomicBoolean alive = new AtomicBoolean(true);
  final List<String> ended = new CopyOnWriteArrayList<>();
  final EchoTerminal terminal = new EchoTerminal();
  final TerminalSessions sessions =
      new TerminalSessions(
          new TerminalSessions.Parts(
              time,
              Duration.ofMinutes(15),
              Duration.ofSeconds(10),
              s -> terminal,
              t -> alive.get(),
              (s, lasted, reason) -> ended.add(s.id() + " " + lasted + " " + reason)));
  final Screen screen = new Screen();

  /** A terminal whose output echoes its input, like a shell's echo of typed keys. */
  static final class EchoTerminal implements Terminal {
    final PipedInputStream output = new PipedInputStream();
    final PipedOutputStream echo;
    final CompletableFuture<Integer> exited = new CompletableFuture<>();
    volatile String size = "80x24";
    final AtomicBoolean closed = new AtomicBoolean();

    EchoTerminal() {
      try {
        echo = new PipedOutputStream(output);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public OutputStream input() {
      return echo;
    }

    @Override
    public InputStream output() {
      return output;
    }

    @Override
    public void resize(int columns, int rows) {
      size = columns + "x" + rows;
    }

    @Override
    public CompletableFuture<Integer> exited() {
      return exited;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        try {
          echo.close();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        exited.complete(-1);
      }
    }
  }

  static final class Screen implements TerminalScreen {
    final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    final List<String> closes = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void show(byte[] bytes, int length) {
      shown.write(bytes, 0, length);
    }

    synchronized String shown() {
      return shown.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void closed(String reason, Integer exitCode) {
      closes.add(reason);
    }
  }

  TerminalSession session() {
    return new TerminalSession(
        "s1",
        new TerminalTarget(TerminalTarget.INSTANCE, "web-0", "web", "alpha", "local"),
        "dev",
        "session",
        T0,
        80,
        24);
  }

  @Test
  void typedKeysReachTheTerminalAndItsOutputTheScreen() {
    sessions.attach(session(), screen);
    sessions.input("s1", "ls\n".getBytes());
    sessions.resize("s1", 120, 40);
    await().atMost(Duration.ofSeconds(10)).until(() -> screen.shown().equals("ls\n"));
    assertThat(terminal.size).isEqualTo("120x40");
    assertThat(sessions.open()).extracting(TerminalSession::id).containsExactly("s1");
  }

  @Test
  void aTerminalNobodyTypesIntoClosesAfterTheIdleTimeout() {
    sessions.attach(session(), screen);
    time.advance(Duration.ofMinutes(10));
    sessions.input("s1", "x".getBytes());
    time.advance(Duration.ofMinutes(14));
    assertThat(screen.closes).as("typed 14 minutes ago").isEmpty();
    time.advance(Duration.ofMinutes(1));
    assertThat(screen.closes).containsExactly("idle for 15m");
    assertThat(terminal.closed).isTrue();
    assertThat(ended).containsExactly("s1 PT25M idle for 15m");
    assertThat(sessions.open()).isEmpty();
  }

  @Test
  void aTerminalClosesWhenItsInstanceStopsAndItsEndIsReportedOnce() {
    sessions.attach(session(), screen);
    time.advance(Duration.ofSeconds(10));
    assertThat(screen.closes).isEmpty();
    alive.set(false);
    time.advance(Duration.ofSeconds(10));
    assertThat(screen.closes).containsExactly("the instance stopped");
    sessions.hangUp("s1");
    assertThat(ended).containsExactly("s1 PT20S the instance stopped");
  }

  @Test
  void aTerminalThatCannotStartClosesWithTheReason() {
    TerminalSessions failing =
        new TerminalSessions(
            new TerminalSessions.Parts(
                time,
                Duration.ofMinutes(15),
                Duration.ofSeconds(10),
                s -> {
                  throw new dev.berth.core.runtime.RuntimeFailure("runc is gone");
                },
                t -> true,
                (s, lasted, reason) -> ended.add(reason)));
    failing.attach(session(), screen);
    assertThat(screen.closes).containsExactly("could not open the terminal: runc is gone");
    assertThat(ended).containsExactly("could not open the terminal: runc is gone");
  }

  @Test
  void closeReasonsAreDecidedFromTimeAndLiveness() {
    Instant now = T0.plus(Duration.ofHours(2));
    assertThat(
            TerminalRules.closeReason(
                now, T0, Duration.ofMinutes(15), true, TerminalTarget.INSTANCE))
        .contains("idle for 15m");
    assertThat(TerminalRules.closeReason(now, now, Duration.ofMinutes(15), false, "run"))
        .contains("the run ended and its filesystem is gone");
    assertThat(
            TerminalRules.closeReason(
                now, now.minusSeconds(60), Duration.ofMinutes(15), true, "instance"))
        .isEmpty();
    assertThat(TerminalRules.human(Duration.ofSeconds(3723))).isEqualTo("1h 2m 3s");
    assertThat(TerminalRules.human(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void theProtocolReadsResizesAndNamesSocketTargets() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(TerminalProtocol.resize(json, "{\"type\":\"resize\",\"cols\":120,\"rows\":40}"))
        .contains(new TerminalProtocol.Resize(120, 40));
    assertThat(TerminalProtocol.resize(json, "not json")).isEmpty();
    assertThat(TerminalProtocol.target("/api/v1/apps/web/instances/web-0/terminal"))
        .hasValueSatisfying(t -> assertThat(t).containsExactly("web", "web-0"));
    assertThat(TerminalProtocol.target("/api/v1/runs/job-1/terminal"))
        .hasValueSatisfying(t -> assertThat(t).containsExactly("job-1"));
    assertThat(TerminalProtocol.target("/api/v1/apps/web")).isEmpty();
    assertThat(TerminalProtocol.closed(json, "idle for 15m", null))
        .isEqualTo("{\"type\":\"closed\",\"reason\":\"idle for 15m\",\"exitCode\":null}");
  }
}
