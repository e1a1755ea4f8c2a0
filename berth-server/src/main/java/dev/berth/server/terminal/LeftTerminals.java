package dev.berth.server.terminal;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes in the audit log, when Berth starts, the terminals a stop of Berth cut (a terminal's
 * process dies with the Berth that holds it): those this Berth held, and those of a Berth with no
 * sign of life for {@code goneAfter}; each closes with "Berth stopped" after the time up to that
 * Berth's last sign of life, or an unknown time. Then it gives a sign of life every {@code period}.
 */
public final class LeftTerminals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeftTerminals.class);

  /** The parts it works with. */
  public record Parts(
      JdbcOpenTerminals store,
      TerminalOperations terminals,
      Scheduler scheduler,
      Duration period,
      Duration goneAfter) {}

  private final Parts p;
  private Scheduler.Cancellable beats = Scheduler.Cancellable.NONE;

  public LeftTerminals(Parts parts) {
    this.p = parts;
  }

  /** Closes what earlier Berths left open, then starts the signs of life. */
  public void start() {
    Instant now = p.scheduler().instant();
    Map<String, Instant> lastSeen = p.store().lastSeen();
    String me = p.store().berth();
    for (JdbcOpenTerminals.Row row : p.store().all()) {
      Instant seen = lastSeen.get(row.berth());
      if (TerminalRules.leftBehind(row.berth(), me, seen, now, p.goneAfter())) {
        LOG.info(
            "terminal {} of {} was open when Berth {} stopped; closing it",
            row.session().id(),
            row.session().actor(),
            row.berth());
        p.terminals()
            .cutByStop(row.session(), TerminalRules.lastedUntil(row.session().openedAt(), seen));
      }
    }
    p.store().alive(now);
    beats = p.scheduler().scheduleWithFixedDelay(p.period(), p.period(), this::beat);
  }

  private void beat() {
    try {
      p.store().alive(p.scheduler().instant());
    } catch (RuntimeException e) {
      LOG.warn("could not record that Berth is alive: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    beats.cancel();
  }
}
