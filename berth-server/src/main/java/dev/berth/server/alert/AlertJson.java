package dev.berth.server.alert;

import dev.berth.core.alert.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert on the wire, with the attempts to deliver it: each message that carried it, to which
 * receiver, its status ({@code queued}, {@code delivered}, {@code failed}), attempts and last
 * result.
 */
public record AlertJson(
    long id,
    String rule,
    String state,
    String severity,
    String team,
    Map<String, String> labels,
    String summary,
    double value,
    Instant activeSince,
    Instant firedAt,
    Instant resolvedAt,
    boolean silenced,
    List<DeliveryJson> deliveries) {

  /** One message that carried the alert. */
  public record DeliveryJson(
      long id,
      String receiver,
      String kind,
      String status,
      int attempts,
      String lastResult,
      Instant queuedAt,
      Instant updatedAt) {}

  static AlertJson of(Alert a, boolean silenced, List<DeliveryJson> deliveries) {
    return new AlertJson(
        a.id(),
        a.rule(),
        a.state().toString(),
        a.severity().toString(),
        a.team(),
        a.labels(),
        a.summary(),
        a.value(),
        a.activeSince(),
        a.firedAt(),
        a.resolvedAt(),
        silenced,
        deliveries);
  }
}
