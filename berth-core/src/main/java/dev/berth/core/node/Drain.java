package dev.berth.core.node;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A drain of one node: the node is cordoned, then every instance on it is moved off, honouring each
 * app's disruption budget, until {@code deadline}. With {@code surge} an app gets one extra
 * instance that must be ready before the old one is taken offline and stopped (where the cluster
 * has another node to put it on). {@code instances} is the progress per instance with the reason
 * each waiting one is blocked. Stored, so that a restarted Berth resumes it.
 */
public record Drain(
    String cluster,
    String node,
    boolean surge,
    Instant startedAt,
    Instant deadline,
    State state,
    Instant endedAt,
    String actor,
    List<Item> instances) {

  public Drain {
    instances = instances == null ? List.of() : List.copyOf(instances);
  }

  /** Where a drain stands. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    STOPPED_AT_DEADLINE,
    CANCELLED;

    public boolean isFinal() {
      return this != RUNNING;
    }

    /** As the API spells it: {@code stopped-at-deadline}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static State parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Where one instance of the drained node stands. */
  public enum Phase {
    /** Still on the node, serving; {@code blockedReason} says why it waits. */
    WAITING,
    /** Its app got one more instance; waiting for that one to be ready. */
    SURGING,
    /** Taken out of traffic; waiting for in-flight requests, then evicted. */
    OFFLINE,
    /** Evicted from the node. */
    EVICTED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Phase parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One instance of the drained node: its {@code phase}, whether its app carries a {@code surged}
   * instance for it (removed once the instance is back elsewhere), and why it waits (null when it
   * does not).
   */
  public record Item(String app, int ordinal, Phase phase, boolean surged, String blockedReason) {
    public String instance() {
      return app + "-" + ordinal;
    }

    public Item to(Phase p, boolean s, String reason) {
      return new Item(app, ordinal, p, s, reason);
    }

    public boolean done() {
      return phase == Phase.EVICTED && !surged;
    }
  }

  /** This drain with other progress. */
  public Drain with(State s, Instant ended, List<Item> items) {
    return new Drain(cluster, node, surge, startedAt, deadline, s, ended, actor, items);
  }

  /** The instances that still wait, each with its reason, as one line per instance. */
  public List<String> blocked() {
    return instances.stream()
        .filter(i -> !i.done() && i.blockedReason() != null)
        .map(i -> i.instance() + ": " + i.blockedReason())
        .toList();
  }
}
