package dev.berth.core.alert;

import java.util.List;

/**
 * One message to one receiver about one group (the alerts of one rule): the alerts firing now and
 * those resolved since the last message.
 */
public record Notification(
    String receiver, String group, List<Alert> firing, List<Alert> resolved) {
  public Notification {
    firing = List.copyOf(firing);
    resolved = List.copyOf(resolved);
  }

  /** {@code firing} while anything fires, else {@code resolved}. */
  public String status() {
    return firing.isEmpty() ? "resolved" : "firing";
  }

  /** A one-line title such as {@code [FIRING:2] instance-oom-killed}. */
  public String title() {
    return firing.isEmpty() ? "[RESOLVED] " + group : "[FIRING:" + firing.size() + "] " + group;
  }
}
