package dev.berth.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.Receiver;
import dev.berth.server.testing.TestJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each chat tool gets the body its incoming webhook accepts, so no relay is needed. */
class WebhookBodiesTest {
  final ObjectMapper json = TestJson.mapper();
  final NotificationJson n =
      new NotificationJson(
          "ops",
          "firing",
          "instance-oom-killed",
          "[FIRING:1] instance-oom-killed",
          List.of(
              new NotificationJson.AlertItem(
                  7,
                  "firing",
                  "instance-oom-killed",
                  "warning",
                  "payments",
                  Map.of("instance", "web-0"),
                  "An instance was killed for running out of memory (instance web-0)",
                  1,
                  Instant.parse("2026-03-01T10:00:00Z"),
                  null)));

  JsonNode body(Receiver.Format f) throws Exception {
    return json.readTree(WebhookBodies.body(json, f, n, "{\"generic\":true}"));
  }

  @Test
  void slackGetsTextDingTalkAndWeComMarkdownFeishuAText() throws Exception {
    assertThat(body(Receiver.Format.GENERIC).path("generic").asBoolean()).isTrue();
    assertThat(body(Receiver.Format.SLACK).path("text").asText())
        .startsWith("[FIRING:1] instance-oom-killed")
        .contains("(instance web-0)");
    JsonNode ding = body(Receiver.Format.DINGTALK);
    assertThat(ding.path("msgtype").asText()).isEqualTo("markdown");
    assertThat(ding.path("markdown").path("title").asText())
        .isEqualTo("[FIRING:1] instance-oom-killed");
    assertThat(ding.path("markdown").path("text").asText()).contains("**firing**");
    JsonNode wecom = body(Receiver.Format.WECOM);
    assertThat(wecom.path("msgtype").asText()).isEqualTo("markdown");
    assertThat(wecom.path("markdown").path("content").asText()).startsWith("### [FIRING:1]");
    JsonNode feishu = body(Receiver.Format.FEISHU);
    assertThat(feishu.path("msg_type").asText()).isEqualTo("text");
    assertThat(feishu.path("content").path("text").asText()).contains("web-0");
  }
}
