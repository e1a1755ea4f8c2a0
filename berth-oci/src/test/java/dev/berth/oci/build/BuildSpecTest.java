package dev.berth.oci.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildSpecTest {
  static BuildSpec spec(
      String image,
      String base,
      String template,
      List<LayerSpec> layers,
      List<FileSpec> files,
      List<ArchiveSpec> archives,
      List<String> ports) {
    return new BuildSpec(
        image, base, template, layers, files, archives, null, null, null, Map.of(), ports, null,
        Map.of());
  }

  static List<String> fields(BuildSpec spec, Set<String> uploads) {
    ValidationException e =
        catchThrowableOfType(ValidationException.class, () -> spec.validate(uploads));
    assertThat(e).as("a validation error").isNotNull();
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void acceptsAFullSpec() {
    BuildSpec spec =
        new BuildSpec(
            "127.0.0.1:5000/demo/web:1",
            "127.0.0.1:5000/demo/busybox:1",
            null,
            List.of(
                new LayerSpec(
                    "deps",
                    List.of(new FileSpec("/opt/lib.jar", null, "lib", "644")),
                    List.of(new ArchiveSpec("site", "/srv")))),
            List.of(new FileSpec("/app/run.sh", "echo hi", null, "0755")),
            List.of(),
            "/app",
            List.of("sh"),
            List.of("/app/run.sh"),
            Map.of("MODE", "demo"),
            List.of("8080", "53/udp"),
            "nobody",
            Map.of("team", "web"));
    assertThatCode(() -> spec.validate(Set.of("lib", "site"))).doesNotThrowAnyException();
    assertThat(spec.allLayers()).extracting(LayerSpec::name).containsExactly("deps", "app");
    assertThat(spec.sources()).containsExactly("lib", "site");
  }

  @Test
  void namesEveryBadFieldAtOnce() {
    BuildSpec bad =
        spec(
            "Bad/Image",
            null,
            null,
            List.of(
                new LayerSpec(
                    "Deps!", List.of(new FileSpec("relative/path", "x", null, "999")), List.of())),
            List.of(new FileSpec("/a", null, null, null), new FileSpec("/b", "x", "part", null)),
            List.of(new ArchiveSpec("missing", "../up")),
            List.of("0", "http", "70000"));
    assertThat(fields(bad, Set.of()))
        .containsExactlyInAnyOrder(
            "image",
            "base",
            "layers[0].name",
            "layers[0].files[0].path",
            "layers[0].files[0].mode",
            "files[0]",
            "files[1]",
            "archives[0].source",
            "archives[0].dir",
            "ports[0]",
            "ports[1]",
            "ports[2]");
  }

  @Test
  void wantsEitherABaseOrATemplate() {
    assertThat(
            fields(
                spec("r.io/a:1", "busybox", "os", List.of(), List.of(), List.of(), List.of()),
                Set.of()))
        .containsExactly("template");
    assertThat(
            fields(
                spec("r.io/a:1", null, "Not_A_Label", List.of(), List.of(), List.of(), List.of()),
                Set.of()))
        .containsExactly("template");
    assertThatCode(
            () ->
                spec("r.io/a:1", "scratch", null, List.of(), List.of(), List.of(), List.of())
                    .validate(Set.of()))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesADigestAsTheTargetAndDuplicatePathsInALayer() {
    String digest = "@sha256:" + "a".repeat(64);
    assertThat(
            fields(
                spec(
                    "r.io/a" + digest, "scratch", null, List.of(), List.of(), List.of(), List.of()),
                Set.of()))
        .containsExactly("image");
    List<FileSpec> twice =
        List.of(new FileSpec("/x", "1", null, null), new FileSpec("/x", "2", null, null));
    assertThat(
            fields(
                spec("r.io/a:1", "scratch", null, List.of(), twice, List.of(), List.of()),
                Set.of()))
        .containsExactly("files[1].path");
  }

  @Test
  void refusesEmptyAndDuplicateLayerGroupsAndNullElements() {
    List<LayerSpec> layers =
        Arrays.asList(
            new LayerSpec("deps", List.of(), List.of()),
            new LayerSpec("deps", List.of(new FileSpec("/x", "1", null, null)), null),
            null);
    assertThat(
            fields(
                spec("r.io/a:1", "scratch", null, layers, List.of(), List.of(), List.of()),
                Set.of()))
        .containsExactly("layers[0]", "layers[1].name", "layers[2]");
  }
}
