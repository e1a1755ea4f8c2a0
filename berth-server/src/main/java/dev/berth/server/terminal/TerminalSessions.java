package dev.berth.server.terminal;

import dev.berth.core.runtime.Terminal;
import dev.berth.core.time.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open terminals of this Berth: starts a terminal's command when its socket connects, copies
 * its output to the screen and the user's keys to it, and closes it when the user hangs up, the
 * command exits, nobody typed for the idle timeout, or its instance stopped (checked every {@code
 * checkPeriod} on the injected scheduler). Every close is reported once to {@link Ended} (the audit
 * log and events). Thread-safe.
 *
 * <p>Output is copied on a platform thread per terminal: the pseudo-terminal's reads are native
 * calls that would pin a virtual thread's carrier.
 */
public final class TerminalSessions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalSessions.class);

  /** Starts the command of a granted session on its runtime. */
  @FunctionalInterface
  public interface Opener {
    Terminal open(TerminalSession session);
  }

  /** Whether a target still runs (or, for a run, still has its kept filesystem). */
  @FunctionalInterface
  public interface Liveness {
    boolean alive(TerminalTarget target);
  }

  /** Told once per session when it has closed, how long it lasted and why. */
  @FunctionalInterface
  public interface Ended {
    void ended(TerminalSession session, Duration lasted, String reason);
  }

  /** The parts a registry works with. */
  public record Parts(
      Scheduler scheduler,
      Duration idleTimeout,
      Duration checkPeriod,
      Opener opener,
      Liveness liveness,
      Ended ended) {}

  private static final class Live {
    final TerminalSession session;
    final Terminal terminal;
    final TerminalScreen screen;
    volatile Instant lastInput;

    Live(TerminalSession session, Terminal terminal, TerminalScreen screen, Instant now) {
      this.session = session;
      this.terminal = terminal;
      this.screen = screen;
      this.lastInput = now;
    }
  }

  private final Parts parts;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Scheduler.Cancellable checks;

  public TerminalSessions(Parts parts) {
    this.parts = parts;
    this.checks =
        parts
            .scheduler()
            .scheduleWithFixedDelay(parts.checkPeriod(), parts.checkPeriod(), this::check);
  }

  /**
   * Starts the session's command and connects it to {@code screen}. When the command cannot start,
   * the screen is closed with the reason (and the end reported).
   */
  public void attach(TerminalSession session, TerminalScreen screen) {
    Terminal terminal;
    try {
      terminal = parts.opener().open(session);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("terminal {}: could not open: {}", session.id(), e.toString());
      screen.closed("could not open the terminal: " + e.getMessage(), null);
      report(session, "could not open the terminal: " + e.getMessage());
      return;
    }
    Live l = new Live(session, terminal, screen, parts.scheduler().instant());
    live.put(session.id(), l);
    Thread.ofPlatform().daemon().name("terminal-" + session.id()).start(() -> copyOutput(l));
  }

  /**
   * Copies output until the command's end of output, then closes the session with its exit code (so
   * that its last lines are shown before the socket closes).
   */
  private void copyOutput(Live l) {
    byte[] buf = new byte[8192];
    InputStream out = l.terminal.output();
    try {
      for (int n; (n = out.read(buf)) >= 0; ) {
        if (n > 0) {
          l.screen.show(buf, n);
        }
      }
    } catch (IOException e) {
      LOG.debug("terminal {}: output ended: {}", l.session.id(), e.getMessage());
    }
    Integer code = exitCode(l.terminal);
    String exited = "the command exited" + (code == null ? "" : " with " + code);
    end(
        l.session.id(),
        alive(l.session.target())
            ? exited
            : TerminalRules.stopped(l.session.target().kind()) + "; " + exited,
        code);
  }

  private static Integer exitCode(Terminal terminal) {
    try {
      return terminal.exited().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return null;
    }
  }

  /** The user typed (or pasted) {@code bytes}. Unknown sessions are ignored. */
  public void input(String id, byte[] bytes) {
    Live l = live.get(id);
    if (l == null) {
      return;
    }
    l.lastInput = parts.scheduler().instant();
    try {
      l.terminal.input().write(bytes);
      l.terminal.input().flush();
    } catch (IOException e) {
      end(id, "the terminal stopped taking input: " + e.getMessage(), null);
    }
  }

  /** The user's screen has a new size. */
  public void resize(String id, int columns, int rows) {
    Live l = live.get(id);
    if (l != null) {
      l.terminal.resize(columns, rows);
    }
  }

  /** The user hung up (closed the page or the socket). */
  public void hangUp(String id) {
    end(id, "the user closed the terminal", null);
  }

  /** The sessions open now. */
  public List<TerminalSession> open() {
    return live.values().stream().map(l -> l.session).toList();
  }

  /** Closes terminals that idled too long or whose instance stopped. */
  void check() {
    Instant now = parts.scheduler().instant();
    for (Live l : List.copyOf(live.values())) {
      TerminalRules.closeReason(
              now,
              l.lastInput,
              parts.idleTimeout(),
              alive(l.session.target()),
              l.session.target().kind())
          .ifPresent(reason -> end(l.session.id(), reason, null));
    }
  }

  /** Whether the target still runs; a runtime that cannot tell counts as running. */
  private boolean alive(TerminalTarget target) {
    try {
      return parts.liveness().alive(target);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void end(String id, String reason, Integer exitCode) {
    Live l = live.remove(id);
    if (l == null) {
      return;
    }
    try {
      l.terminal.close();
    } finally {
      // recorded before the client hears of it: once it has, the end is in the audit log
      report(l.session, reason);
      l.screen.closed(reason, exitCode);
    }
  }

  private void report(TerminalSession session, String reason) {
    Duration lasted = Duration.between(session.openedAt(), parts.scheduler().instant());
    try {
      parts.ended().ended(session, lasted, reason);
    } catch (RuntimeException e) {
      LOG.error("terminal {}: could not record its end: {}", session.id(), e.getMessage());
    }
  }

  /** Closes every open terminal (Berth is stopping). */
  @Override
  public void close() {
    checks.cancel();
    for (String id : List.copyOf(live.keySet())) {
      end(id, "Berth is stopping", null);
    }
  }
}
