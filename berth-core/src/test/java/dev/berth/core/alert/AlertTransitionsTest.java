package dev.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.event.Event;
import dev.berth.core.testing.InMemoryMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTransitionsTest {
  static final Map<String, String> NODE = Map.of("cluster", "local", "node", "n1");
  final InMemoryMetrics metrics = new InMemoryMetrics();
  final List<Event> events = new ArrayList<>();
  final ConditionReader reader =
      new ConditionReader(
          metrics,
          since -> events.stream().filter(e -> !e.time().isBefore(since)).toList(),
          app -> "payments");
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  List<Alert> open = new ArrayList<>();
  final AlertRule pids =
      DefaultRules.all().stream().filter(r -> r.name().equals("node-pids-high")).findFirst().get();

  AlertTransitions.Step step(AlertRule rule) {
    AlertTransitions.Step s =
        AlertTransitions.evaluate(rule, open, reader.active(rule.condition(), now), now);
    List<Alert> next = new ArrayList<>(open);
    next.removeAll(s.dropped());
    for (Alert a : s.changed()) {
      next.removeIf(o -> o.fingerprint().equals(a.fingerprint()));
      if (a.state() != Alert.State.RESOLVED) {
        next.add(a);
      }
    }
    open = next;
    return s;
  }

  void pids(double used) {
    metrics.record("berth_node_pids", NODE, used, now);
    metrics.record("berth_node_pid_max", NODE, 1000, now);
  }

  @Test
  void aRatioAboveItsThresholdIsPendingUntilForPassesThenFiresThenResolves() {
    pids(900);
    AlertTransitions.Step first = step(pids);
    assertThat(first.changed())
        .singleElement()
        .extracting(Alert::state)
        .isEqualTo(Alert.State.PENDING);
    assertThat(first.changed().getFirst().value()).isEqualTo(0.9);
    assertThat(first.changed().getFirst().labels())
        .containsEntry("alertname", "node-pids-high")
        .containsEntry("node", "n1")
        .containsEntry("severity", "warning");

    now = now.plus(Duration.ofMinutes(4));
    pids(950);
    assertThat(step(pids).fired()).isEmpty();

    now = now.plus(Duration.ofMinutes(1));
    pids(950);
    assertThat(step(pids).fired()).singleElement().extracting(Alert::firedAt).isEqualTo(now);

    now = now.plus(Duration.ofMinutes(1));
    pids(100);
    AlertTransitions.Step cleared = step(pids);
    assertThat(cleared.resolved()).singleElement().extracting(Alert::resolvedAt).isEqualTo(now);
    assertThat(open).isEmpty();
  }

  @Test
  void aPendingAlertWhoseConditionClearsBeforeForIsForgottenWithoutFiring() {
    pids(900);
    step(pids);
    now = now.plus(Duration.ofMinutes(2));
    pids(10);
    AlertTransitions.Step s = step(pids);
    assertThat(s.dropped()).hasSize(1);
    assertThat(s.fired()).isEmpty();
    assertThat(s.resolved()).isEmpty();
  }

  @Test
  void anOomKillCounterRiseFiresAtOnceAndResolvesWhenItLeavesTheWindow() {
    AlertRule oom =
        DefaultRules.all().stream()
            .filter(r -> r.name().equals("instance-oom-killed"))
            .findFirst()
            .get();
    Map<String, String> inst = Map.of("app", "hog", "instance", "hog-0", "team", "payments");
    metrics.record("berth_instance_oom_kills_total", inst, 0, now);
    assertThat(step(oom).changed()).isEmpty();
    now = now.plusSeconds(15);
    metrics.record("berth_instance_oom_kills_total", inst, 1, now);
    AlertTransitions.Step s = step(oom);
    assertThat(s.fired())
        .singleElement()
        .satisfies(a -> assertThat(a.team()).isEqualTo("payments"));
    now = now.plus(Duration.ofMinutes(11));
    metrics.record("berth_instance_oom_kills_total", inst, 1, now);
    assertThat(step(oom).resolved()).hasSize(1);
  }

  @Test
  void anEvictionEventFiresTheMovedRuleForItsAppsTeam() {
    AlertRule moved =
        DefaultRules.all().stream()
            .filter(r -> r.name().equals("instance-moved-or-evicted"))
            .findFirst()
            .get();
    events.add(Event.warning(now, "k8s", "instance", "web-1", "web", "Evicted", "node pressure"));
    AlertTransitions.Step s = step(moved);
    assertThat(s.fired())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.team()).isEqualTo("payments");
              assertThat(a.labels())
                  .containsEntry("instance", "web-1")
                  .containsEntry("reason", "Evicted");
            });
    now = now.plus(Duration.ofMinutes(10)).plusSeconds(1);
    assertThat(step(moved).resolved()).hasSize(1);
  }

  @Test
  void aDrainStoppedAtItsDeadlineFiresTheDrainRuleOnItsNode() {
    AlertRule stopped =
        DefaultRules.all().stream()
            .filter(r -> r.name().equals("node-drain-stopped"))
            .findFirst()
            .get();
    events.add(
        Event.warning(now, "k8s", "node", "n1", null, "DrainDeadline", "web-0: disruption budget"));
    assertThat(step(stopped).fired())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.severity()).isEqualTo(Severity.WARNING);
              assertThat(a.labels()).containsEntry("reason", "DrainDeadline");
            });
  }

  @Test
  void increaseCountsACounterResetAsARise() {
    List<dev.berth.core.metrics.Series.Point> p =
        List.of(
            new dev.berth.core.metrics.Series.Point(now, 3),
            new dev.berth.core.metrics.Series.Point(now.plusSeconds(1), 5),
            new dev.berth.core.metrics.Series.Point(now.plusSeconds(2), 1));
    assertThat(ConditionReader.increase(p)).isEqualTo(3);
  }
}
