package dev.berth.server.app;

import dev.berth.core.app.QosClass;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.Instance;
import java.time.Instant;

/**
 * An instance as the API shows it, with the QoS class of its revision's resources ({@code qos};
 * null when that revision is no longer known).
 */
public record InstanceJson(
    String id,
    int ordinal,
    String ip,
    String hostIp,
    String node,
    String state,
    boolean ready,
    int restarts,
    long revision,
    boolean online,
    Instant startedAt,
    ExitInfo lastExit,
    String message,
    QosClass qos) {
  static InstanceJson of(Instance i, QosClass qos) {
    return new InstanceJson(
        i.id(),
        i.ordinal(),
        i.ip(),
        i.hostIp(),
        i.node(),
        i.state().toString(),
        i.ready(),
        i.restarts(),
        i.revision(),
        i.online(),
        i.startedAt(),
        i.lastExit(),
        i.message(),
        qos);
  }
}
