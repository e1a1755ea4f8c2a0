package dev.berth.core.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides which notifications a receiver gets now, per group (rule): a group is sent when an alert
 * in it fired and was not yet sent, when a sent alert resolved, or when its firing alerts were last
 * sent {@code repeat} ago. A silenced alert is left out while the silence lasts; its "resolved" is
 * sent once the silence is over if its "firing" was sent before. Pure.
 */
public final class NotificationPlan {
  private NotificationPlan() {}

  /** What was sent of one alert to one receiver: when its firing was last sent, and resolved. */
  public record Sent(Instant firingAt, boolean resolved) {
    public static final Sent NOTHING = new Sent(null, false);
  }

  /**
   * @param alerts the receiver's firing alerts and its resolved ones not yet fully notified
   * @param sent what was sent of each alert (by id) to this receiver
   */
  public static List<Notification> decide(
      Receiver receiver,
      List<Alert> alerts,
      Map<Long, Sent> sent,
      List<Silence> silences,
      Instant now) {
    Map<String, List<Alert>> groups = new TreeMap<>();
    for (Alert a : alerts) {
      if (receiver.routes(a.team()) && a.state() != Alert.State.PENDING) {
        groups.computeIfAbsent(a.rule(), k -> new ArrayList<>()).add(a);
      }
    }
    List<Notification> out = new ArrayList<>();
    groups.forEach(
        (group, members) -> {
          List<Alert> firing = new ArrayList<>();
          List<Alert> resolved = new ArrayList<>();
          boolean fresh = false;
          Instant last = null;
          for (Alert a : members) {
            if (silences.stream().anyMatch(s -> s.mutes(a, now))) {
              continue;
            }
            Sent s = sent.getOrDefault(a.id(), Sent.NOTHING);
            if (a.state() == Alert.State.FIRING) {
              firing.add(a);
              if (s.firingAt() == null) {
                fresh = true;
              } else if (last == null || s.firingAt().isAfter(last)) {
                last = s.firingAt();
              }
            } else if (s.firingAt() != null && !s.resolved()) {
              resolved.add(a);
            }
          }
          boolean repeatDue =
              !firing.isEmpty() && last != null && !now.isBefore(last.plus(receiver.repeat()));
          if (fresh || !resolved.isEmpty() || repeatDue) {
            firing.sort(Comparator.comparing(Alert::fingerprint));
            resolved.sort(Comparator.comparing(Alert::fingerprint));
            out.add(new Notification(receiver.name(), group, firing, resolved));
          }
        });
    return out;
  }

  /** What a receiver has been sent of each alert once {@code n} is handed to it at {@code now}. */
  public static Map<Long, Sent> afterSending(Notification n, Instant now) {
    Map<Long, Sent> marks = new TreeMap<>();
    n.firing().forEach(a -> marks.put(a.id(), new Sent(now, false)));
    n.resolved()
        .forEach(a -> marks.put(a.id(), new Sent(Objects.requireNonNull(a.firedAt()), true)));
    return marks;
  }
}
