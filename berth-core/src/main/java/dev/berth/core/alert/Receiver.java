package dev.berth.core.alert;

import java.time.Duration;
import java.util.List;

/**
 * Where notifications go: a webhook ({@code url}, body {@code format}: generic JSON signed with
 * {@code secret}, or Slack, DingTalk, WeCom, Feishu), e-mail ({@code to}), or an Alertmanager
 * ({@code url} of its base). A receiver of a team gets that team's alerts; one without a team gets
 * every alert. {@code repeat}: how often a still-firing group is sent again.
 */
public record Receiver(
    String name,
    String team,
    Type type,
    String url,
    Format format,
    List<String> to,
    String secret,
    Duration repeat) {
  public Receiver {
    to = to == null ? List.of() : List.copyOf(to);
  }

  /** The kind of receiver. */
  public enum Type {
    WEBHOOK,
    EMAIL,
    ALERTMANAGER;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A webhook's body shape. */
  public enum Format {
    GENERIC,
    SLACK,
    DINGTALK,
    WECOM,
    FEISHU;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether alerts of {@code team} (null: a platform alert) go to this receiver. */
  public boolean routes(String alertTeam) {
    return team == null || team.equals(alertTeam);
  }

  @Override
  public String toString() {
    return "Receiver[" + name + ", team=" + team + ", " + type + ", " + url + ", " + to + "]";
  }
}
