package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.berth.server.alert.Hooks;
import dev.berth.server.task.HttpCallbackSender;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alerting on the real local runtime: a memory hog's OOM kills raise its counter, an alert rule on
 * it fires, and the alert reaches a webhook receiver of its team (a loopback HTTP server), an
 * e-mail inbox (GreenMail on loopback) and a real Alertmanager (Debian's, on a loopback port); when
 * the hog is gone, its resolution reaches all three. Also: invalid rules and refused outbound
 * targets answer 400 naming the field, built-in rules are shipped, silences expire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertIT {
  static final String SECRET = "hog-webhook-secret-0123456789";
  LocalBerth fixture;
  BerthServer berth;
  GreenMail mail;
  Hooks hook;
  Hooks otherTeam;
  Alertmanager alertmanager;

  @BeforeAll
  void start() throws Exception {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    hook = Hooks.start();
    otherTeam = Hooks.start();
    alertmanager = Alertmanager.start(Path.of("target", "alertmanager-it.log").toAbsolutePath());
    fixture =
        LocalBerth.start(
            178,
            "alerts",
            Map.of(
                "berth.alert.interval", "1s",
                "berth.alert.delivery-backoff", "200ms",
                "berth.metrics.interval", "1s",
                "berth.alert.smtp.host", "127.0.0.1",
                "berth.alert.smtp.port", Integer.toString(mail.getSmtp().getPort()),
                "berth.alert.smtp.from", "berth@alerts.test"));
    berth = fixture.berth;
  }

  @AfterAll
  void stop() {
    try {
      LocalBerth.close(fixture);
    } finally {
      alertmanager.close();
      hook.close();
      otherTeam.close();
      mail.stop();
    }
  }

  List<String> fields(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    List<String> fields = new ArrayList<>();
    BerthServer.json(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  @Test
  void anInvalidRuleIsRefusedNamingTheField() {
    assertThat(
            fields(
                berth.call(
                    "POST",
                    "/api/v1/alert-rules",
                    "{\"name\":\"x\",\"metric\":\"berth_no_such_thing\",\"threshold\":1}")))
        .containsExactly("metric");
    assertThat(
            fields(
                berth.call(
                    "POST",
                    "/api/v1/alert-rules",
                    "{\"name\":\"x\",\"metric\":\"berth_node_pids\",\"threshold\":1,\"for\":\"-5m\"}")))
        .containsExactly("for");
    assertThat(
            fields(
                berth.call(
                    "POST",
                    "/api/v1/alert-rules",
                    "{\"name\":\"x\",\"metric\":\"berth_node_pids\",\"threshold\":\"lots\"}")))
        .containsExactly("threshold");
    assertThat(berth.call("GET", "/api/v1/alert-rules/x", null).statusCode()).isEqualTo(404);
  }

  @Test
  void linkLocalAndMetadataTargetsAreRefusedForReceiversAndTaskCallbacks() {
    for (String url :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/hook",
            "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/computeMetadata/v1/")) {
      assertThat(
              fields(
                  berth.call(
                      "POST",
                      "/api/v1/receivers",
                      "{\"name\":\"evil\",\"type\":\"webhook\",\"url\":\"" + url + "\"}")))
          .as(url)
          .containsExactly("url");
      assertThat(
              fields(
                  berth.call(
                      "POST",
                      "/api/v1/tasks",
                      """
                      {"name":"evil","image":"%s","command":["true"],"callbackUrl":"%s"}"""
                          .formatted(fixture.image, url))))
          .as(url)
          .containsExactly("callbackUrl");
    }
    assertThat(berth.call("GET", "/api/v1/receivers/evil", null).statusCode()).isEqualTo(404);
    assertThat(berth.call("GET", "/api/v1/tasks/evil", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theShippedRulesAreThereAndCanBeTurnedOffNotDeleted() {
    JsonNode rules = berth.get("/api/v1/alert-rules").path("items");
    List<String> names = new ArrayList<>();
    rules.forEach(r -> names.add(r.path("name").asText()));
    assertThat(names)
        .contains(
            "node-conntrack-high",
            "node-pids-high",
            "node-image-storage-high",
            "instance-oom-killed",
            "instance-restart-loop",
            "instance-unready",
            "node-not-ready",
            "instance-moved-or-evicted");
    assertThat(berth.call("DELETE", "/api/v1/alert-rules/node-pids-high", null).statusCode())
        .isEqualTo(409);
    HttpResponse<String> off =
        berth.patch("/api/v1/alert-rules/node-pids-high", "{\"enabled\":false}", BerthServer.TOKEN);
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(BerthServer.json(off.body()).path("enabled").asBoolean()).isFalse();
    assertThat(BerthServer.json(off.body()).path("per").asText()).isEqualTo("berth_node_pid_max");
  }

  @Test
  void aSilenceNeedsAnExpiryAndCanBeEndedEarly() {
    assertThat(
            fields(
                berth.call(
                    "POST",
                    "/api/v1/silences",
                    "{\"matchers\":{\"alertname\":\"node-not-ready\"}}")))
        .containsExactly("endsAt");
    HttpResponse<String> made =
        berth.call(
            "POST",
            "/api/v1/silences",
            "{\"matchers\":{\"alertname\":\"node-not-ready\"},\"duration\":\"2h\",\"comment\":\"rack move\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    long id = BerthServer.json(made.body()).path("id").asLong();
    assertThat(BerthServer.json(made.body()).path("active").asBoolean()).isTrue();
    assertThat(berth.call("DELETE", "/api/v1/silences/" + id, null).statusCode()).isEqualTo(204);
    JsonNode listed = berth.get("/api/v1/silences").path("items");
    assertThat(listed.findValues("id").stream().map(JsonNode::asLong)).contains(id);
    listed.forEach(
        s -> {
          if (s.path("id").asLong() == id) {
            assertThat(s.path("active").asBoolean()).isFalse();
          }
        });
  }

  JsonNode post(Hooks hooks, String group) throws Exception {
    while (true) {
      Hooks.Post p = hooks.posts.poll(120, TimeUnit.SECONDS);
      assertThat(p).as("a webhook post for " + group).isNotNull();
      JsonNode body = BerthServer.json(p.body());
      if (body.path("group").asText().equals(group)) {
        assertThat(p.signature()).isEqualTo("sha256=" + HttpCallbackSender.sign(SECRET, p.body()));
        return body;
      }
    }
  }

  List<String> subjects() {
    return Arrays.stream(mail.getReceivedMessages())
        .map(
            m -> {
              try {
                return ((MimeMessage) m).getSubject();
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  boolean inAlertmanager(String alertname) throws Exception {
    HttpResponse<String> r = alertmanager.get("/api/v2/alerts?active=true");
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode a : BerthServer.json(r.body())) {
      if (a.path("labels").path("alertname").asText().equals(alertname)
          && a.path("status").path("state").asText().equals("active")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aMemoryHogsOomKillAlertReachesWebhookMailAndAlertmanagerThenItsResolutionDoes()
      throws Exception {
    assertThat(berth.call("POST", "/api/v1/teams", "{\"name\":\"other\"}").statusCode())
        .isEqualTo(201);
    create(
        "/api/v1/receivers",
        """
        {"name":"ops","type":"webhook","url":"%s","team":"default","secret":"%s"}"""
            .formatted(hook.url("/berth"), SECRET));
    create(
        "/api/v1/receivers",
        """
        {"name":"others","type":"webhook","url":"%s","team":"other"}"""
            .formatted(otherTeam.url("/other")));
    create(
        "/api/v1/receivers",
        "{\"name\":\"mail\",\"type\":\"email\",\"to\":[\"oncall@alerts.test\"]}");
    create(
        "/api/v1/receivers",
        "{\"name\":\"am\",\"type\":\"alertmanager\",\"url\":\"%s\"}".formatted(alertmanager.url()));
    create(
        "/api/v1/alert-rules",
        """
        {"name":"hog-oom","metric":"berth_instance_oom_kills_total","function":"increase",
         "window":"10s","op":">","threshold":0,"for":"0","severity":"critical",
         "match":{"app":"hog"},"summary":"hog was killed for memory"}""");
    String hog =
        """
        {"name":"hog","image":"%s","command":["sh","-c","x=a; while true; do x=$x$x; done"],
         "resources":{"cpu":0.1,"memoryMiB":16},"instances":1}"""
            .formatted(fixture.image);
    create("/api/v1/apps", hog);

    JsonNode firing = post(hook, "hog-oom");
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    JsonNode alert = firing.path("alerts").get(0);
    assertThat(alert.path("labels").path("instance").asText()).isEqualTo("hog-0");
    assertThat(alert.path("labels").path("team").asText()).isEqualTo("default");
    await().atMost(Duration.ofSeconds(60)).until(() -> subjects().contains("[FIRING:1] hog-oom"));
    await().atMost(Duration.ofSeconds(60)).until(() -> inAlertmanager("hog-oom"));
    long id = alert.path("id").asLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode shown = berth.get("/api/v1/alerts/" + id);
              assertThat(shown.path("state").asText()).isEqualTo("firing");
              List<String> delivered = new ArrayList<>();
              shown
                  .path("deliveries")
                  .forEach(
                      d -> {
                        if (d.path("status").asText().equals("delivered")) {
                          delivered.add(d.path("receiver").asText());
                        }
                      });
              assertThat(delivered).contains("ops", "mail", "am").doesNotContain("others");
            });
    assertThat(
            berth
                .get("/api/v1/events?object=hog&type=Warning")
                .path("items")
                .findValuesAsText("reason"))
        .contains("AlertFiring");

    assertThat(berth.call("POST", "/api/v1/apps/hog/scale", "{\"instances\":0}").statusCode())
        .isIn(200, 202);
    JsonNode resolved = post(hook, "hog-oom");
    assertThat(resolved.path("status").asText()).isEqualTo("resolved");
    assertThat(resolved.path("alerts").get(0).path("id").asLong()).isEqualTo(id);
    await().atMost(Duration.ofSeconds(60)).until(() -> subjects().contains("[RESOLVED] hog-oom"));
    await().atMost(Duration.ofSeconds(60)).until(() -> !inAlertmanager("hog-oom"));
    assertThat(berth.get("/api/v1/alerts/" + id).path("state").asText()).isEqualTo("resolved");
    assertThat(berth.get("/api/v1/events?object=hog").path("items").findValuesAsText("reason"))
        .contains("AlertResolved");
    assertThat(otherTeam.posts)
        .as("another team's receiver gets nothing of team default")
        .isEmpty();
  }

  void create(String path, String body) {
    HttpResponse<String> r = berth.call("POST", path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(201);
  }
}
