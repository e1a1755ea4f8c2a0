package dev.berth.server.alert;

import dev.berth.core.alert.Alert;
import dev.berth.core.alert.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The generic webhook body, also what the outbox stores: the receiver, {@code firing} or {@code
 * resolved}, the group (rule), a title, and each alert with its labels, summary, value and times.
 */
public record NotificationJson(
    String receiver, String status, String group, String title, List<AlertItem> alerts) {

  /** One alert in a message. */
  public record AlertItem(
      long id,
      String status,
      String rule,
      String severity,
      String team,
      Map<String, String> labels,
      String summary,
      double value,
      Instant startsAt,
      Instant endsAt) {
    static AlertItem of(Alert a, String status) {
      return new AlertItem(
          a.id(),
          status,
          a.rule(),
          a.severity().toString(),
          a.team(),
          a.labels(),
          a.summary(),
          a.value(),
          a.firedAt(),
          a.resolvedAt());
    }
  }

  static NotificationJson of(Notification n) {
    List<AlertItem> items =
        java.util.stream.Stream.concat(
                n.firing().stream().map(a -> AlertItem.of(a, "firing")),
                n.resolved().stream().map(a -> AlertItem.of(a, "resolved")))
            .toList();
    return new NotificationJson(n.receiver(), n.status(), n.group(), n.title(), items);
  }

  /** The message as plain text lines: the title, then one line per alert. */
  String text() {
    StringBuilder b = new StringBuilder(title);
    for (AlertItem a : alerts) {
      b.append("\n- [")
          .append(a.status())
          .append("] ")
          .append(a.summary())
          .append(" (value ")
          .append(a.value())
          .append(", since ")
          .append(a.startsAt())
          .append(a.endsAt() == null ? "" : ", resolved " + a.endsAt())
          .append(')');
    }
    return b.toString();
  }
}
