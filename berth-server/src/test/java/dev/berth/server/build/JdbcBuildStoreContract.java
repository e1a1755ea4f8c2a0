package dev.berth.server.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.build.BuildSpec;
import dev.berth.oci.build.FileSpec;
import dev.berth.oci.build.LayerSpec;
import dev.berth.server.testing.TestJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The build store's contract, run against H2 and against a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcBuildStoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
  JdbcClient jdbc;
  JdbcBuildStore store;

  abstract DataSource dataSource();

  @BeforeAll
  void createStore() {
    jdbc = JdbcClient.create(dataSource());
    store = new JdbcBuildStore(jdbc, TestJson.mapper());
  }

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM builds").update();
    jdbc.sql("DELETE FROM build_templates").update();
  }

  static BuildSpec spec(String image, String base, String template) {
    return new BuildSpec(
        image,
        base,
        template,
        List.of(
            new LayerSpec("deps", List.of(new FileSpec("/opt/a", "a", null, "0755")), List.of())),
        List.of(new FileSpec("/app/b", null, "b", null)),
        List.of(),
        "/app",
        List.of("sh"),
        List.of("-c", "true"),
        Map.of("A", "1"),
        List.of("8080"),
        "nobody",
        Map.of("team", "web"));
  }

  @Test
  void storesABuildWithItsSpecAndStartsItOnlyOnce() {
    BuildSpec spec = spec("r.io/a/b:1", "r.io/base:1", null);
    Build created = store.create(spec, "default", null, "api", "alice", T0);
    assertThat(created.state()).isEqualTo(BuildState.QUEUED);
    assertThat(created.spec()).isEqualTo(spec);
    assertThat(store.start(created.id(), T0.plusSeconds(1))).isTrue();
    assertThat(store.start(created.id(), T0.plusSeconds(2))).as("second start").isFalse();
    store.succeed(
        created.id(),
        "sha256:" + "a".repeat(64),
        "r.io/base@sha256:" + "b".repeat(64),
        "line 1\nline 2",
        T0.plusSeconds(5));
    Build done = store.find(created.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(done.duration(T0.plusSeconds(99)).toSeconds()).isEqualTo(4);
    assertThat(done.log()).isEqualTo("line 1\nline 2");
    assertThat(done.pinnedImage()).isEqualTo("r.io/a/b@sha256:" + "a".repeat(64));
    store.fail(created.id(), "too late", null, null, T0.plusSeconds(6));
    assertThat(store.find(created.id()).orElseThrow().state())
        .as("an ended build stays ended")
        .isEqualTo(BuildState.SUCCEEDED);
  }

  @Test
  void listsOnlyTheBuildsOfTheGivenTeamsAndThoseOfTemplates() {
    Build alpha =
        store.create(spec("r.io/alpha/web:1", "busybox", null), "alpha", null, "api", "me", T0);
    store.create(spec("r.io/beta/web:1", "busybox", null), "beta", null, "api", "me", T0);
    store.saveTemplate("os", spec("r.io/t/os:1", "busybox", null), "me", T0);
    Build os =
        store.create(
            store.template("os").orElseThrow().spec(), null, "os", "template created", "me", T0);

    assertThat(store.list(null, java.util.Set.of("alpha"), 0, 10).items())
        .extracting(Build::id)
        .containsExactly(os.id(), alpha.id());
    assertThat(store.list(null, java.util.Set.of("alpha"), 0, 10).total()).isEqualTo(2);
    assertThat(store.list(null, java.util.Set.of(), 0, 10).items())
        .as("no team: only templates' builds")
        .extracting(Build::id)
        .containsExactly(os.id());
    assertThat(store.list(null, null, 0, 10).total()).as("null: every build").isEqualTo(3);
    assertThat(store.find(alpha.id()).orElseThrow().team()).isEqualTo("alpha");
    assertThat(store.find(os.id()).orElseThrow().team()).isNull();
  }

  @Test
  void listsNewestFirstFilteredByImageAndFindsUnfinishedAndWaitingBuilds() {
    Build a =
        store.create(spec("r.io/team/web:1", "busybox", null), "default", null, "api", "me", T0);
    store.saveTemplate("os", spec("r.io/t/os:1", "busybox", null), "me", T0);
    Build b = store.create(spec("r.io/team/api:1", null, "os"), "default", null, "api", "me", T0);
    Build c =
        store.create(spec("r.io/team/web_2:1", "busybox", null), "default", null, "api", "me", T0);
    store.start(a.id(), T0);
    store.fail(c.id(), "registry down", null, "log", T0);

    assertThat(store.list(null, null, 0, 10).items())
        .extracting(Build::id)
        .containsExactly(c.id(), b.id(), a.id());
    assertThat(store.list(null, null, 0, 10).items()).allSatisfy(x -> assertThat(x.log()).isNull());
    assertThat(store.list("web_", null, 0, 10).items())
        .extracting(Build::id)
        .containsExactly(c.id());
    assertThat(store.list(null, null, 1, 2).total()).isEqualTo(3);
    assertThat(store.list(null, null, 1, 2).items()).extracting(Build::id).containsExactly(a.id());
    assertThat(store.unfinished()).containsExactly(a.id(), b.id());
    assertThat(store.queuedOn("os")).containsExactly(b.id());

    store.requeue(a.id());
    assertThat(store.find(a.id()).orElseThrow().state()).isEqualTo(BuildState.QUEUED);
    assertThat(store.find(a.id()).orElseThrow().startedAt()).isNull();
  }

  @Test
  void keepsTemplatesWithTheirLastBuildDigestAndDependants() {
    assertThat(store.saveTemplate("os", spec("r.io/t/os:1", "busybox", null), "me", T0)).isTrue();
    assertThat(store.saveTemplate("jre", spec("r.io/t/jre:1", null, "os"), "me", T0)).isTrue();
    assertThat(
            store.saveTemplate("os", spec("r.io/t/os:2", "busybox", null), "me", T0.plusSeconds(1)))
        .as("replaced")
        .isFalse();
    Build build =
        store.create(
            store.template("os").orElseThrow().spec(), null, "os", "template changed", "me", T0);
    store.templateBuilt("os", "sha256:" + "c".repeat(64));

    BuildTemplate os = store.template("os").orElseThrow();
    assertThat(os.spec().image()).isEqualTo("r.io/t/os:2");
    assertThat(os.lastBuild()).isEqualTo(build.id());
    assertThat(os.image()).contains("r.io/t/os@sha256:" + "c".repeat(64));
    assertThat(os.updatedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.template("jre").orElseThrow().lastBuild()).isNull();
    assertThat(store.template("jre").orElseThrow().image()).isEmpty();
    assertThat(store.dependants("os")).containsExactly("jre");
    assertThat(store.templates()).extracting(BuildTemplate::name).containsExactly("jre", "os");
    assertThat(store.deleteTemplate("jre")).isTrue();
    assertThat(store.dependants("os")).isEmpty();
  }
}
