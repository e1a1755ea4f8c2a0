package dev.berth.server.app;

import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.Instance;
import java.time.Instant;

/** An instance as the API shows it. */
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
    String message) {
  static InstanceJson of(Instance i) {
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
        i.message());
  }
}
