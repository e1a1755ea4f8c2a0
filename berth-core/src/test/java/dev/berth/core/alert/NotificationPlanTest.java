package dev.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationPlanTest {
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final Receiver ops =
      new Receiver(
          "ops",
          "payments",
          Receiver.Type.WEBHOOK,
          "http://127.0.0.1:1/",
          Receiver.Format.GENERIC,
          null,
          "s",
          Duration.ofHours(4));
  final Map<Long, NotificationPlan.Sent> sent = new HashMap<>();
  List<Silence> silences = List.of();

  Alert alert(long id, String team, Alert.State state) {
    return new Alert(
        id,
        "instance-oom-killed",
        "fp" + id,
        Map.of("alertname", "instance-oom-killed", "instance", "hog-" + id),
        team,
        Severity.WARNING,
        state,
        1,
        "oom",
        now,
        state == Alert.State.PENDING ? null : now,
        state == Alert.State.RESOLVED ? now : null);
  }

  List<Notification> decide(Alert... alerts) {
    List<Notification> out = NotificationPlan.decide(ops, List.of(alerts), sent, silences, now);
    out.forEach(n -> sent.putAll(NotificationPlan.afterSending(n, now)));
    return out;
  }

  @Test
  void sendsFiringOnceThenAgainAfterTheRepeatIntervalThenResolved() {
    Alert a = alert(1, "payments", Alert.State.FIRING);
    assertThat(decide(a)).singleElement().extracting(Notification::status).isEqualTo("firing");
    now = now.plus(Duration.ofHours(3));
    assertThat(decide(a)).isEmpty();
    now = now.plus(Duration.ofHours(1));
    assertThat(decide(a)).hasSize(1);
    Alert r = a.with(Alert.State.RESOLVED, 1, a.firedAt(), now);
    assertThat(decide(r)).singleElement().extracting(Notification::status).isEqualTo("resolved");
    assertThat(decide(r)).isEmpty();
  }

  @Test
  void groupsTheAlertsOfOneRuleAndRoutesByTeam() {
    List<Notification> out =
        decide(
            alert(1, "payments", Alert.State.FIRING),
            alert(2, "payments", Alert.State.FIRING),
            alert(3, "search", Alert.State.FIRING),
            alert(4, "payments", Alert.State.PENDING));
    assertThat(out)
        .singleElement()
        .satisfies(n -> assertThat(n.firing()).extracting(Alert::id).containsExactly(1L, 2L));
  }

  @Test
  void aSilencedAlertStillResolvesAndItsResolvedIsSentAfterTheSilence() {
    Alert a = alert(1, "payments", Alert.State.FIRING);
    assertThat(decide(a)).hasSize(1);
    silences =
        List.of(
            new Silence(
                1,
                Map.of("alertname", "instance-oom-killed"),
                null,
                "deploy",
                "ann",
                now,
                now.plus(Duration.ofHours(1))));
    now = now.plus(Duration.ofMinutes(10));
    Alert r = a.with(Alert.State.RESOLVED, 1, a.firedAt(), now);
    assertThat(decide(r)).isEmpty();
    now = now.plus(Duration.ofMinutes(50));
    assertThat(decide(r)).singleElement().extracting(Notification::status).isEqualTo("resolved");
  }

  @Test
  void anAlertThatFiredAndResolvedWithinASilenceSendsNothing() {
    silences =
        List.of(
            new Silence(
                1,
                Map.of("instance", "hog-1"),
                null,
                "",
                "ann",
                now,
                now.plus(Duration.ofHours(1))));
    Alert a = alert(1, "payments", Alert.State.FIRING);
    assertThat(decide(a)).isEmpty();
    Alert r = a.with(Alert.State.RESOLVED, 1, a.firedAt(), now);
    now = now.plus(Duration.ofHours(2));
    assertThat(decide(r)).isEmpty();
  }
}
