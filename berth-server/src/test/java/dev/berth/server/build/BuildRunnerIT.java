package dev.berth.server.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.oci.build.BuildSpec;
import dev.berth.oci.build.FileSpec;
import dev.berth.oci.build.ImageBuilder;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.event.EventService;
import dev.berth.server.event.JdbcEventStore;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The build runner against a real registry and database, without the web layer: a build a crashed
 * Berth left running runs again after a restart, and a failing build never stops the runner.
 */
class BuildRunnerIT {
  static TestRegistry registry;
  static String base;
  static HikariDataSource dataSource;
  static JdbcBuildStore store;
  static EventService events;
  @TempDir Path data;
  ImageBuilder builder;
  BuildFiles files;
  BuildRunner runner;

  @BeforeAll
  static void start() {
    registry = TestRegistry.start();
    base = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "base");
    dataSource = TestDatabases.h2();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    store = new JdbcBuildStore(jdbc, TestJson.mapper());
    BerthProperties properties =
        new BerthProperties(Path.of("unused"), null, null, null, Duration.ofDays(1));
    events = new EventService(new JdbcEventStore(jdbc), Clock.systemUTC(), properties);
  }

  @AfterAll
  static void stop() {
    if (dataSource != null) {
      dataSource.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void newRunner() {
    files = new BuildFiles(data);
    builder =
        new ImageBuilder(
            new ImageBuilder.Settings(files.cache(), List.of(), Credentials.anonymous(), 1 << 20));
    runner = new BuildRunner(store, files, builder, events, Clock.systemUTC(), 1, 100);
  }

  @AfterEach
  void closeRunner() throws InterruptedException {
    runner.close();
    builder.close();
  }

  static BuildSpec spec(String repo, FileSpec file) {
    return new BuildSpec(
        registry.host() + "/" + repo + ":1",
        base,
        null,
        List.of(),
        List.of(file),
        List.of(),
        null,
        null,
        null,
        Map.of(),
        List.of(),
        null,
        Map.of());
  }

  Build awaitEnd(long id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> store.find(id).orElseThrow().state().isFinal());
    return store.find(id).orElseThrow();
  }

  @Test
  void runsAgainABuildThatACrashedBerthLeftRunning() throws Exception {
    Build build =
        store.create(
            spec("crash/site", new FileSpec("/www/page", null, "page", null)),
            "default",
            null,
            "api",
            "me",
            Clock.systemUTC().instant());
    Files.createDirectories(files.inputs(build.id()));
    Files.writeString(files.inputs(build.id()).resolve("page"), "uploaded before the crash");
    assertThat(store.start(build.id(), Clock.systemUTC().instant()))
        .isTrue(); // the crashed Berth had started it

    runner.recover();

    Build done = awaitEnd(build.id());
    assertThat(done.state()).as(done.reason()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(done.digest()).startsWith("sha256:");
    // The outcome is stored first, then the build's inputs go.
    await("inputs removed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !Files.exists(files.inputs(build.id())));
  }

  @Test
  void aFailingBuildEndsFailedWithItsReasonAndTheNextOneStillRuns() {
    Build broken =
        store.create(
            spec("broken/site", new FileSpec("/www/page", null, "lost", null)),
            "default",
            null,
            "api",
            "me",
            Clock.systemUTC().instant());
    Build fine =
        store.create(
            spec("fine/site", new FileSpec("/www/page", "fine", null, null)),
            "default",
            null,
            "api",
            "me",
            Clock.systemUTC().instant());
    runner.dispatch(broken.id());
    runner.dispatch(fine.id());

    Build failed = awaitEnd(broken.id());
    assertThat(failed.state()).isEqualTo(BuildState.FAILED);
    assertThat(failed.reason()).contains("'lost'");
    assertThat(failed.log()).contains("failed: ");
    assertThat(awaitEnd(fine.id()).state()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(events.query(new EventQuery("build/" + broken.id(), null, null, 0, 10)))
        .extracting(e -> e.reason())
        .contains("BuildFailed");
  }
}
