package dev.berth.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A release (a new image, a spec, a rollback, a pipeline's promotion) names the image the app's
 * team will run: an image the team may not run is refused naming the field, and nothing changes;
 * the image the app already runs stays allowed.
 */
class ReleaseImagePolicyTest {
  final CoreHarness core = new CoreHarness();

  /** Images of repositories under {@code other/} belong to team 'other' once it claims them. */
  final Set<String> claimed = new HashSet<>();

  final TeamImagePolicy policy =
      (image, team) ->
          claimed.stream()
                  .anyMatch(p -> image.startsWith("registry.test/" + p) && !team.equals("other"))
              ? Optional.of("repository of team 'other'")
              : Optional.empty();

  final ReleaseService releases =
      new ReleaseService(
          core.appService,
          core.apps,
          core.releases,
          core.events,
          core.time,
          core.appQueue::enqueue,
          core.appLocks,
          policy);

  void running(String image) {
    AppSpec spec = new AppSpec(image, List.of("httpd", "-f"), null, null, null, null, null, null);
    core.appService.create(new AppRequest("web", null, null, spec, 1, null), "alice");
    settled();
  }

  void settled() {
    for (int i = 0; i < 6; i++) {
      core.settle();
      core.local.allReady("web");
    }
    core.settle();
  }

  String field(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e.errors().getFirst().field() + ": " + e.errors().getFirst().message();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aNewImageOrSpecOfAnotherTeamsRepositoryIsRefusedNamingTheFieldAndNothingChanges() {
    running("registry.test/mine/web:1");
    claimed.add("other/");

    assertThat(
            field(
                () ->
                    releases.start(
                        "web", ReleaseRequest.ofImage("registry.test/other/web:2", null), "bob")))
        .isEqualTo("image: repository of team 'other'");
    AppSpec spec = core.appService.get("web").spec().withImage("registry.test/other/web:2");
    assertThat(
            field(() -> releases.start("web", new ReleaseRequest(null, spec, null, null), "bob")))
        .startsWith("spec.image:");
    assertThat(core.appService.get("web").revision()).isEqualTo(1);
    assertThat(core.appService.get("web").spec().image()).isEqualTo("registry.test/mine/web:1");
    assertThat(core.releases.latest("web")).isEmpty();

    Release own =
        releases.start("web", ReleaseRequest.ofImage("registry.test/mine/web:2", null), "bob");
    assertThat(own.toRevision()).isEqualTo(2);
  }

  @Test
  void theImageInUseStaysAllowedButARollbackToAnotherTeamsImageIsRefused() {
    running("registry.test/other/web:1");
    claimed.add("other/");

    AppSpec changed =
        new AppSpec(
            "registry.test/other/web:1",
            List.of("httpd", "-f", "-v"),
            null,
            null,
            null,
            null,
            null,
            null);
    Release sameImage = releases.start("web", new ReleaseRequest(null, changed, null, null), "bob");
    assertThat(sameImage.toRevision()).as("claiming a repository breaks no app").isEqualTo(2);
    settled();
    releases.start("web", ReleaseRequest.ofImage("registry.test/mine/web:2", null), "bob");
    settled();
    assertThat(core.appService.get("web").revision()).isEqualTo(3);

    assertThat(field(() -> releases.rollback("web", 1, null, "bob")))
        .isEqualTo("revision: repository of team 'other'");
    assertThat(core.appService.get("web").revision()).isEqualTo(3);
    assertThat(core.appService.get("web").spec().image()).isEqualTo("registry.test/mine/web:2");
  }
}
