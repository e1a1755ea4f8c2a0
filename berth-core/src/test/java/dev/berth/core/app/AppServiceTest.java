package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.task.Task;
import dev.berth.core.testing.CoreHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppServiceTest {
  final CoreHarness core = new CoreHarness();

  static AppSpec spec(String image) {
    return new AppSpec(image, List.of("httpd", "-f"), null, null, null, null, null, null);
  }

  static List<String> fields(Throwable e) {
    return ((ValidationException) e)
        .errors().stream().map(ValidationException.FieldError::field).toList();
  }

  App create() {
    return core.appService.create(
        new AppRequest("web", null, null, spec("registry.test/web:1"), 2, null), "alice");
  }

  @Test
  void refusesEveryInvalidFieldAtOnceAndStoresNothing() {
    assertThatThrownBy(
            () ->
                core.appService.create(
                    new AppRequest("Web_1", null, "mars", null, -1, null), "alice"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).contains("name", "cluster", "image", "instances"));
    assertThat(core.apps.list("", 0, 10).items()).isEmpty();
    assertThat(core.events.all()).isEmpty();
  }

  @Test
  void refusesAnImageTheRegistryDoesNotHaveBeforeCreatingAnything() {
    core.local.withoutImage("registry.test/web:404");
    assertThatThrownBy(
            () ->
                core.appService.create(
                    new AppRequest("web", null, null, spec("registry.test/web:404"), 1, null),
                    "alice"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsExactly("image"));
    core.settle();
    assertThat(core.apps.find("web")).isEmpty();
    assertThat(core.local.applied()).isEmpty();
  }

  @Test
  void aNameTakenByAnAppOrATaskIsAConflict() {
    create();
    assertThatThrownBy(this::create)
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already exists");
    core.tasks.create(
        new Task(
            "job",
            "default",
            "alice",
            "local",
            null,
            null,
            null,
            null,
            null,
            60,
            0,
            false,
            null,
            1,
            core.time.instant(),
            core.time.instant()));
    assertThatThrownBy(
            () ->
                core.appService.create(
                    new AppRequest("job", null, null, spec("registry.test/web:1"), 1, null),
                    "alice"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("share one name space");
  }

  @Test
  void aChangedSpecMakesANewRevisionWhileScalingMakesNone() {
    create();
    core.appService.update(
        "web", new AppRequest(null, null, null, spec("registry.test/web:2"), null, null), "bob");
    core.appService.scale("web", new Scale(5), null, "bob");
    App same =
        core.appService.update(
            "web", new AppRequest(null, null, null, spec("registry.test/web:2"), 5, null), "bob");

    assertThat(core.appService.revisions("web"))
        .extracting(Revision::number, r -> r.spec().image(), Revision::createdBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "registry.test/web:1", "alice"),
            org.assertj.core.groups.Tuple.tuple(2L, "registry.test/web:2", "bob"));
    assertThat(same.revision()).isEqualTo(2);
    assertThat(same.instances()).isEqualTo(5);
    assertThat(core.events.reasons("app/web")).containsExactly("Created", "Updated", "Scaled");
  }

  @Test
  void everyChangeBumpsTheVersionAndAStaleVersionIsRefusedWithoutChangingAnything() {
    App created = create();
    assertThat(created.version()).isEqualTo(1);
    App scaled = core.appService.scale("web", new Scale(3), 1L, "alice");
    assertThat(scaled.version()).isEqualTo(2);

    assertThatThrownBy(() -> core.appService.scale("web", new Scale(4), 1L, "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("version 2, yours 1");
    assertThatThrownBy(
            () ->
                core.appService.update(
                    "web",
                    new AppRequest(null, null, null, spec("registry.test/web:9"), null, 1L),
                    "bob"))
        .isInstanceOf(ConflictException.class);
    App now = core.appService.get("web");
    assertThat(now.instances()).isEqualTo(3);
    assertThat(now.revision()).isEqualTo(1);
    assertThat(now.version()).isEqualTo(2);
  }

  @Test
  void theClusterAndNameOfAnAppCannotChange() {
    create();
    assertThatThrownBy(
            () ->
                core.appService.update(
                    "web",
                    new AppRequest("www", null, "other", spec("registry.test/web:1"), null, null),
                    "bob"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsExactly("name", "cluster"));
  }

  @Test
  void strictSpreadNeedsOneHostPerInstance() {
    AppSpec strict =
        new AppSpec(
            "registry.test/web:1",
            List.of("httpd"),
            null,
            null,
            null,
            null,
            null,
            null,
            new Scheduling(null, null, null, Scheduling.Spread.STRICT, null));
    core.local.withNodes(2);
    assertThatThrownBy(
            () ->
                core.appService.create(new AppRequest("web", null, null, strict, 3, null), "alice"))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsExactly("scheduling.spread"));
    assertThat(
            core.appService
                .create(new AppRequest("web", null, null, strict, 2, null), "alice")
                .instances())
        .isEqualTo(2);
  }
}
