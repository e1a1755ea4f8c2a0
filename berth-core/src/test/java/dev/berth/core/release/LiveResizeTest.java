package dev.berth.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Revision;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live resize through the app controller, a fake runtime and manual time: a new revision that no
 * instance is replaced for, the fallback to a release, and the refusals.
 */
class LiveResizeTest {
  final CoreHarness core = new CoreHarness();

  void running(int instances) {
    AppSpec spec =
        new AppSpec(
            "registry.test/web:1", List.of("httpd", "-f"), null, null, null, null, null, null);
    core.appService.create(new AppRequest("web", null, null, spec, instances, null), "alice");
    core.settle();
    core.local.allReady("web");
    core.settle();
  }

  List<Long> revisions() {
    return core.local.instances("web").stream().map(Instance::revision).toList();
  }

  @Test
  void aLiveResizeIsANewRevisionAndNoInstanceIsReplaced() {
    running(2);
    int applied = core.local.applied().size();
    LiveResize.Outcome out =
        core.liveResize.resize("web", new ResizeRequest(0.5, 1.0, 512, null), "bob");
    core.settle();
    core.local.allReady("web");
    core.settle();

    assertThat(out.live()).isTrue();
    assertThat(out.revision()).isEqualTo(2);
    assertThat(core.local.resized()).containsExactly("web-0@2", "web-1@2");
    assertThat(core.local.deletedInstances()).isEmpty();
    assertThat(revisions()).containsExactly(2L, 2L);
    assertThat(core.local.instances("web")).allMatch(i -> i.restarts() == 0);
    assertThat(core.releases.active("web")).as("no release replaces them").isEmpty();
    assertThat(core.releases.latest("web")).isEmpty();
    assertThat(core.local.applied().subList(applied, core.local.applied().size()))
        .allMatch(w -> w.updateRevision() == 2 && w.partition() == 0);
    Resources r = core.appService.get("web").spec().resources();
    assertThat(List.of(r.cpu(), r.cpuLimit(), (double) r.memoryMiB()))
        .containsExactly(0.5, 1.0, 512.0);
    assertThat(core.appService.get("web").status().revision()).isEqualTo(2);
    assertThat(core.appService.revisions("web"))
        .extracting(Revision::number, Revision::createdBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "alice"),
            org.assertj.core.groups.Tuple.tuple(2L, "bob"));
    assertThat(core.appService.revisions("web"))
        .extracting(Revision::change)
        .containsExactly(null, "resized live: cpu 0.1→0.5, cpuLimit none→1, memory 256Mi→512Mi");
    assertThat(core.events.reasons("web")).contains("ResizedLive");
    assertThat(core.events.all().stream().filter(e -> e.reason().equals("ResizedLive")))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("resized live", "no instance restarted"));
  }

  @Test
  void aRuntimeThatCannotResizeInPlaceReleasesTheRevisionAndSaysWhy() {
    running(2);
    core.local.cannotResize("Kubernetes 1.30 has no in-place pod resize");
    LiveResize.Outcome out =
        core.liveResize.resize("web", new ResizeRequest(null, null, 512, null), "bob");
    core.settle();
    for (int i = 0; i < 10; i++) {
      core.local.allReady("web");
      core.settle();
    }

    assertThat(out.live()).isFalse();
    assertThat(out.message()).contains("release", "Kubernetes 1.30 has no in-place pod resize");
    assertThat(core.releases.latest("web"))
        .get()
        .satisfies(
            rel -> {
              assertThat(rel.toRevision()).isEqualTo(2);
              assertThat(rel.state()).isEqualTo(ReleaseState.SUCCEEDED);
            });
    assertThat(revisions()).containsExactly(2L, 2L);
    assertThat(core.local.resized()).isEmpty();
    assertThat(core.appService.revisions("web"))
        .as("a released resize is an ordinary revision")
        .noneMatch(Revision::resizedLive);
    assertThat(core.events.reasons("web")).contains("ResizeByRelease");
  }

  @Test
  void nonsenseAboveTheNodeAndUnknownAppsAreRefusedAndChangeNothing() {
    running(1);
    assertThatThrownBy(
            () -> core.liveResize.resize("web", new ResizeRequest(-1.0, null, 0, null), "bob"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ValidationException.FieldError::field)
                    .containsExactly("resources.cpu", "resources.memoryMiB"));
    assertThatThrownBy(
            () -> core.liveResize.resize("web", new ResizeRequest(null, null, 9000, null), "bob"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors().getFirst())
                    .satisfies(
                        f -> {
                          assertThat(f.field()).isEqualTo("resources.memoryMiB");
                          assertThat(f.message()).contains("node-0", "8192 MiB");
                        }));
    assertThatThrownBy(
            () -> core.liveResize.resize("web", new ResizeRequest(null, null, null, null), "bob"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () -> core.liveResize.resize("nope", new ResizeRequest(1.0, null, null, null), "bob"))
        .isInstanceOf(NotFoundException.class);
    assertThat(core.appService.get("web").revision()).isEqualTo(1);
    assertThat(core.local.resized()).isEmpty();
  }

  @Test
  void aResizeWhileARevisionIsStillRollingOutIsAConflict() {
    running(2);
    core.appService.update(
        "web",
        new AppRequest(
            null,
            null,
            null,
            core.appService.get("web").spec().withImage("registry.test/web:2"),
            null,
            null),
        "alice");
    core.settle();
    assertThatThrownBy(
            () -> core.liveResize.resize("web", new ResizeRequest(1.0, null, null, null), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("still moving to revision 2");
    assertThat(core.local.resized()).isEmpty();
  }
}
