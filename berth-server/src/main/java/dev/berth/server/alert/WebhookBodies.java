package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.alert.Receiver;

/**
 * The body a webhook receiver gets in its format: Berth's generic JSON, or the message shapes of
 * Slack ({@code text}), DingTalk ({@code msgtype: markdown}), WeCom ({@code msgtype: markdown}) and
 * Feishu ({@code msg_type: text}) incoming webhooks, so no relay is needed.
 */
final class WebhookBodies {
  private WebhookBodies() {}

  static String body(
      ObjectMapper json, Receiver.Format format, NotificationJson n, String generic) {
    ObjectNode root = json.createObjectNode();
    switch (format) {
      case GENERIC -> {
        return generic;
      }
      case SLACK -> root.put("text", n.text());
      case DINGTALK -> {
        root.put("msgtype", "markdown");
        root.putObject("markdown").put("title", n.title()).put("text", markdown(n));
      }
      case WECOM -> {
        root.put("msgtype", "markdown");
        root.putObject("markdown").put("content", markdown(n));
      }
      case FEISHU -> {
        root.put("msg_type", "text");
        root.putObject("content").put("text", n.text());
      }
    }
    return root.toString();
  }

  private static String markdown(NotificationJson n) {
    StringBuilder b = new StringBuilder("### ").append(n.title());
    for (NotificationJson.AlertItem a : n.alerts()) {
      b.append("\n- **")
          .append(a.status())
          .append("** ")
          .append(a.summary())
          .append(" (")
          .append(a.severity())
          .append(", value ")
          .append(a.value())
          .append(')');
    }
    return b.toString();
  }
}
