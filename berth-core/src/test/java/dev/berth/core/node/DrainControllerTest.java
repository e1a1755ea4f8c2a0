package dev.berth.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventType;
import dev.berth.core.node.Drain.Phase;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.testing.CoreHarness;
import dev.berth.core.testing.InMemoryDrainStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Drains through the fake runtime and manual time: cordon first, offline before stopped, the
 * disruption budget, surge, refused evictions, the deadline, cancel, and a restart mid-drain.
 */
class DrainControllerTest {
  final CoreHarness core = new CoreHarness();
  final InMemoryDrainStore store = new InMemoryDrainStore();
  final List<Drain> notified = new CopyOnWriteArrayList<>();
  DrainController drains = controller();

  DrainController controller() {
    return new DrainController(
        store,
        core.clusters,
        core.apps,
        core.releases,
        core.traffic,
        new DrainController.Outlets(core.events, notified::add, core.appQueue::enqueue),
        core.time);
  }

  void running(String name, int instances) {
    AppSpec spec =
        new AppSpec("registry.test/web:1", List.of("httpd"), null, null, null, null, null, null);
    core.appService.create(new AppRequest(name, null, null, spec, instances, null), "alice");
    core.settle();
    core.local.allReady(name);
    core.settle();
  }

  Drain drain() {
    return drains.find("local", "node-0").orElseThrow();
  }

  Drain.Item item(String instance) {
    return drain().instances().stream()
        .filter(i -> i.instance().equals(instance))
        .findFirst()
        .orElseThrow();
  }

  void tick() {
    core.advance(DrainController.RETRY);
  }

  @Test
  void onOneNodeTakesEachInstanceOfflineBeforeStoppingItOneAtATime() {
    running("web", 2);
    drains.start("local", "node-0", Duration.ofMinutes(10), false, "root");
    core.settle();

    assertThat(core.local.nodes().getFirst().schedulable()).isFalse();
    assertThat(core.traffic.calls).containsExactly("drain web-0");
    assertThat(core.local.evicted()).isEmpty();
    assertThat(item("web-1").blockedReason())
        .isEqualTo(
            "disruption budget of app web allows no more unavailable instances: maxUnavailable 1,"
                + " 1 unavailable now");

    tick();
    assertThat(core.local.evicted()).containsExactly("web-0");
    assertThat(core.local.instances("web").getFirst().ready()).isFalse();
    tick();
    assertThat(core.traffic.calls).containsExactly("drain web-0", "drain web-1");
    tick();
    tick();
    assertThat(core.local.evicted()).containsExactly("web-0", "web-1");
    assertThat(drain().state()).isEqualTo(Drain.State.SUCCEEDED);
    assertThat(core.events.reasons("node/node-0")).contains("DrainStarted", "DrainSucceeded");
    assertThat(core.events.reasons("web-0")).containsSubsequence("Offline", "Evicted");
  }

  @Test
  void withAnotherNodeWaitsForTheEvictedInstanceToBeReadyThereBeforeTheNext() {
    core.local.withNodes(2);
    running("web", 2);
    drains.start("local", "node-0", Duration.ofMinutes(10), false, "root");
    core.settle();
    tick();
    assertThat(core.local.instances("web").getFirst().node()).isEqualTo("node-1");
    for (int n = 0; n < 5; n++) {
      tick();
    }
    assertThat(core.local.evicted()).containsExactly("web-0");
    assertThat(item("web-1").phase()).isEqualTo(Phase.WAITING);
    assertThat(item("web-1").blockedReason()).contains("disruption budget of app web");

    core.local.ready("web", 0);
    tick();
    tick();
    tick();
    assertThat(core.local.evicted()).containsExactly("web-0", "web-1");
    assertThat(core.local.instances("web")).allMatch(i -> i.node().equals("node-1"));
    tick();
    assertThat(drain().state()).isEqualTo(Drain.State.SUCCEEDED);
  }

  @Test
  void surgeStartsTheReplacementAndWaitsForItBeforeTheOldOneGoes() {
    core.local.withNodes(2);
    running("web", 1);
    core.releases.setDefaultStrategy(
        "web", new ReleaseStrategy(null, null, null, null, 0, null, null, null));
    drains.start("local", "node-0", Duration.ofMinutes(10), true, "root");
    core.settle();
    core.settle();

    assertThat(core.apps.find("web").orElseThrow().instances()).isEqualTo(2);
    assertThat(core.local.instances("web")).extracting(i -> i.node()).contains("node-1");
    tick();
    assertThat(core.traffic.calls).isEmpty();
    assertThat(item("web-0").phase()).isEqualTo(Phase.SURGING);
    assertThat(item("web-0").blockedReason())
        .isEqualTo("waiting for a surge instance of web to be ready");

    core.local.ready("web", 1);
    tick();
    assertThat(core.traffic.calls).containsExactly("drain web-0");
    tick();
    assertThat(core.local.evicted()).containsExactly("web-0");
    assertThat(core.apps.find("web").orElseThrow().instances()).isEqualTo(2);

    core.local.ready("web", 0);
    tick();
    core.settle();
    assertThat(core.apps.find("web").orElseThrow().instances()).isEqualTo(1);
    assertThat(core.local.instances("web")).singleElement().matches(i -> i.node().equals("node-1"));
    assertThat(core.events.reasons("app/web")).contains("DrainSurge", "DrainSurgeRemoved");
    tick();
    assertThat(drain().state()).isEqualTo(Drain.State.SUCCEEDED);
  }

  @Test
  void aRefusedEvictionIsRetriedWithItsReasonAndTheDrainStopsAtTheDeadline() {
    running("web", 1);
    core.local.refuseEvictions("Cannot evict pod as it would violate the pod's disruption budget");
    drains.start("local", "node-0", Duration.ofSeconds(30), false, "root");
    core.settle();
    tick();
    tick();
    assertThat(item("web-0").phase()).isEqualTo(Phase.OFFLINE);
    assertThat(item("web-0").blockedReason()).contains("would violate the pod's disruption budget");
    assertThat(drain().state()).isEqualTo(Drain.State.RUNNING);

    core.advance(Duration.ofSeconds(30));
    core.settle();
    assertThat(drain().state()).isEqualTo(Drain.State.STOPPED_AT_DEADLINE);
    assertThat(core.traffic.calls).containsExactly("drain web-0", "restore web-0");
    assertThat(notified).singleElement().matches(d -> d.node().equals("node-0"));
    Event warning =
        core.events.all().stream()
            .filter(e -> e.reason().equals("DrainDeadline"))
            .findFirst()
            .orElseThrow();
    assertThat(warning.type()).isEqualTo(EventType.WARNING);
    assertThat(warning.message()).contains("web-0", "disruption budget");
    int pending = core.time.pending();
    core.advance(Duration.ofMinutes(5));
    assertThat(core.local.evicted()).isEmpty();
    assertThat(core.time.pending()).isLessThanOrEqualTo(pending);
  }

  @Test
  void cancelPutsInstancesBackAndKeepsTheNodeCordoned() {
    running("web", 1);
    core.traffic.hold("web-0");
    drains.start("local", "node-0", Duration.ofMinutes(10), false, "root");
    core.settle();
    tick();
    assertThat(item("web-0").blockedReason()).isEqualTo("offline; waiting for requests in flight");
    assertThatThrownBy(() -> drains.start("local", "node-0", Duration.ofMinutes(1), false, "x"))
        .isInstanceOf(ConflictException.class);

    drains.cancel("local", "node-0", "root");
    assertThat(drain().state()).isEqualTo(Drain.State.CANCELLED);
    assertThat(core.traffic.calls).containsExactly("drain web-0", "restore web-0");
    assertThat(core.local.nodes().getFirst().schedulable()).isFalse();
    core.traffic.release("web-0");
    tick();
    assertThat(core.local.evicted()).isEmpty();
  }

  @Test
  void aMissingNodeOrClusterIsNotFound() {
    assertThatThrownBy(() -> drains.start("local", "nope", Duration.ofMinutes(1), false, "root"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> drains.start("mars", "node-0", Duration.ofMinutes(1), false, "root"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aRestartedControllerResumesTheStoredDrain() {
    running("web", 1);
    store.save(
        new Drain(
            "local",
            "node-0",
            false,
            core.time.instant(),
            core.time.instant().plus(Duration.ofMinutes(10)),
            Drain.State.RUNNING,
            null,
            "root",
            List.of(new Drain.Item("web", 0, Phase.OFFLINE, false, null))));
    core.local.setSchedulable("node-0", false);

    drains = controller();
    drains.resume();
    core.settle();
    assertThat(core.local.evicted()).containsExactly("web-0");
    tick();
    assertThat(drain().state()).isEqualTo(Drain.State.SUCCEEDED);
  }
}
