package dev.berth.oci.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualScheduler;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.registry.RegistryFront;
import dev.berth.oci.testing.FaultyProxy;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestLayer;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between real registries: a failing registry, dropped connections, wrong credentials,
 * damaged blobs and a full target. Each copy is retried or fails with its reason, and the target
 * never shows a tag before every blob it needs is there. Prints a line per fault with what
 * happened.
 */
class ReplicationFaultsIT {
  static TestRegistry source;
  static TestRegistry target;
  static RegistryClient direct;
  static PushedImage image;

  RegistryFront front;
  RecordingJobs jobs;

  /**
   * Replication time: back-off waits return at once and are recorded ({@link
   * ManualScheduler#slept()}).
   */
  ManualScheduler time;

  @BeforeAll
  static void start() {
    source = TestRegistry.start();
    target = TestRegistry.start();
    direct = RegistryClient.anonymous();
    byte[] noise = new byte[200_000];
    new Random(3).nextBytes(noise);
    image =
        TestImages.busybox()
            .layer(TestLayer.create().file("noise.bin", noise, 0644))
            .push(direct, source.host() + "/team/app:1");
  }

  @AfterAll
  static void stop() {
    direct.close();
    source.close();
    target.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    front = new RegistryFront(target.host());
    jobs = new RecordingJobs();
    time = new ManualScheduler(Instant.now());
  }

  @AfterEach
  void closeFront() {
    front.close();
  }

  ReplicationEngine engine(int attempts) {
    return new ReplicationEngine(
        new ImageCopier(3, 0),
        jobs,
        new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofMillis(40)),
        4,
        time);
  }

  static ReplicationRequest copy(RegistryClient client, String from, String to) {
    return new ReplicationRequest(
        "faults",
        Trigger.PUSH,
        new Endpoint(direct, ImageReference.parse(from)),
        new Endpoint(client, ImageReference.parse(to)),
        Instant.now());
  }

  static void report(String fault, ReplicationOutcome out) {
    System.out.printf(
        "fault %-22s -> %s after %d attempt(s)%s%n",
        fault,
        out.result().label(),
        out.attempts(),
        out.reason() == null ? "" : ": " + out.reason());
  }

  @Test
  void serverErrorsAreRetriedUntilTheCopySucceeds() {
    front.failNext.set(3);
    front.failNextWith = 503;
    try (ReplicationEngine engine = engine(5)) {
      ReplicationOutcome out =
          engine.run(copy(direct, image.reference(), front.host() + "/team/app:1"));
      report("registry 503 (3 times)", out);

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      assertThat(out.attempts()).isGreaterThan(1);
      assertThat(jobs.only().retries()).allMatch(r -> r.contains("503"));
      assertThat(time.slept()).startsWith(Duration.ofMillis(10));
      assertThat(direct.findManifest(ImageReference.parse(target.host() + "/team/app:1")))
          .contains(image.digest());
    }
  }

  @Test
  void requestsCutOnNewAndReusedConnectionsAreRetriedAndEveryImageArrives() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      tags.add("d" + i);
      TestImages.busybox().page("drop " + i).push(direct, source.host() + "/team/drops:d" + i);
    }
    try (FaultyProxy proxy = FaultyProxy.start(target.port(), 0.3, 42);
        ReplicationEngine engine = engine(10)) {
      List<CompletableFuture<ReplicationOutcome>> all = new ArrayList<>();
      for (String tag : tags) {
        all.add(
            engine.submit(
                copy(
                    direct,
                    source.host() + "/team/drops:" + tag,
                    proxy.host() + "/team/drops:" + tag)));
      }
      List<ReplicationOutcome> outcomes = all.stream().map(CompletableFuture::join).toList();
      long ok = outcomes.stream().filter(ReplicationOutcome::ok).count();
      System.out.printf(
          "fault %-22s -> %d of %d replicated, %d of %d requests cut on %d connections, %d retries%n",
          "cut requests",
          ok,
          tags.size(),
          proxy.dropped.get(),
          proxy.requests.get(),
          proxy.connections.get(),
          outcomes.stream().mapToInt(o -> o.attempts() - 1).sum());

      assertThat(proxy.dropped.get()).isPositive();
      assertThat(proxy.requests.get())
          .as("connections are reused, and their requests cut too")
          .isGreaterThan(proxy.connections.get());
      assertThat(outcomes).allMatch(ReplicationOutcome::ok);
      for (String tag : tags) {
        assertThat(direct.findManifest(ImageReference.parse(target.host() + "/team/drops:" + tag)))
            .isPresent();
      }
    }
  }

  @Test
  void aRepositoryPlanHitByServerErrorsStillBringsEveryTagOverImageByImage() {
    List<ReplicationRequest> sync = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TestImages.busybox()
          .page("plan fault " + i)
          .push(direct, source.host() + "/team/planfault:p" + i);
      sync.add(
          new ReplicationRequest(
              "faults",
              Trigger.SYNC,
              new Endpoint(direct, ImageReference.parse(source.host() + "/team/planfault:p" + i)),
              new Endpoint(direct, ImageReference.parse(front.host() + "/team/planfault:p" + i)),
              null));
    }
    front.failNextUploads.set(
        3); // the plan's first uploads fail: those images go on from attempt 2
    front.failNextWith = 503;
    try (ReplicationEngine engine = engine(5)) {
      List<ReplicationOutcome> outcomes =
          engine.submitAll(sync).stream().map(CompletableFuture::join).toList();
      System.out.printf(
          "fault %-22s -> %d of %d replicated, %d retries%n",
          "503s during a plan",
          outcomes.stream().filter(ReplicationOutcome::ok).count(),
          sync.size(),
          outcomes.stream().mapToInt(o -> o.attempts() - 1).sum());

      assertThat(outcomes).allMatch(o -> o.result() == ReplicationOutcome.Result.SUCCEEDED);
      assertThat(jobs.jobs).hasSize(4);
      assertThat(jobs.jobs.values())
          .anySatisfy(
              j -> assertThat(j.retries()).anyMatch(r -> r.startsWith("1: ") && r.contains("503")));
      assertThat(outcomes).anyMatch(o -> o.attempts() == 2);
      for (int i = 0; i < 4; i++) {
        assertThat(
                direct.findManifest(ImageReference.parse(target.host() + "/team/planfault:p" + i)))
            .isPresent();
      }
    }
  }

  @Test
  void wrongCredentialsFailAtOnceNamingTheRejection() {
    front.auth = RegistryFront.Auth.BASIC;
    try (RegistryClient wrong =
            RegistryClient.builder()
                .credentials(
                    Credentials.of(
                        Map.of(
                            front.host(),
                            new Credentials.UsernamePassword("berth", "wrong-password"))))
                .build();
        ReplicationEngine engine = engine(5)) {
      ReplicationOutcome out =
          engine.run(copy(wrong, image.reference(), front.host() + "/team/creds:1"));
      report("wrong credentials", out);

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.FAILED);
      assertThat(out.attempts()).isEqualTo(1);
      assertThat(out.reason()).contains("credentials rejected by " + front.host());
      assertThat(jobs.only().outcome()[0].reason()).contains("credentials rejected");
    }
  }

  @Test
  void aBlobNotMatchingItsDigestIsRetriedThenFailsAndNoTagAppears() throws Exception {
    try (RegistryFront damagedSource = new RegistryFront(source.host());
        ReplicationEngine engine = engine(3)) {
      damagedSource.corruptBlobs = true;
      ReplicationOutcome out =
          engine.run(
              copy(
                  direct, damagedSource.host() + "/team/app:1", target.host() + "/team/damaged:1"));
      report("digest mismatch", out);

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.FAILED);
      assertThat(out.attempts()).isEqualTo(3);
      assertThat(out.reason())
          .contains("gave up after 3 attempts")
          .contains("does not match its digest");
      assertThat(direct.findManifest(ImageReference.parse(target.host() + "/team/damaged:1")))
          .isEmpty();
      for (var layer : direct.getManifest(ImageReference.parse(image.reference())).layers()) {
        assertThat(
                direct.hasBlob(
                    ImageReference.parse(target.host() + "/team/damaged"), layer.digest()))
            .isFalse();
      }
    }
  }

  @Test
  void aFullTargetFailsWithItsReasonAndNoTagAppears() {
    front.failUploadsWith = 507;
    try (ReplicationEngine engine = engine(5)) {
      ReplicationOutcome out =
          engine.run(copy(direct, image.reference(), front.host() + "/team/full:1"));
      report("target full (507)", out);

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.FAILED);
      assertThat(out.attempts()).isEqualTo(1);
      assertThat(out.reason()).contains("has no room").contains("507");
      assertThat(direct.findManifest(ImageReference.parse(target.host() + "/team/full:1")))
          .isEmpty();
    }
  }

  @Test
  void aBodyLimitInFrontOfTheTargetFailsChunkedUploadsWithTheReason() {
    front.failUploadsWith = 413;
    try (ReplicationEngine engine =
        new ReplicationEngine(
            new ImageCopier(2, 32 * 1024), jobs, RetryPolicy.defaults(), 1, time)) {
      ReplicationOutcome out =
          engine.run(copy(direct, image.reference(), front.host() + "/team/limit:1"));
      report("body limit (413)", out);

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.FAILED);
      assertThat(out.reason()).contains("413");
      assertThat(direct.findManifest(ImageReference.parse(target.host() + "/team/limit:1")))
          .isEmpty();
    }
  }

  @Test
  void theManifestIsPushedOnlyAfterEveryBlobIsInTheTarget() {
    try (ReplicationEngine engine = engine(1)) {
      ReplicationOutcome out =
          engine.run(copy(direct, image.reference(), front.host() + "/team/order:1"));

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      List<String> requests = List.copyOf(front.requests);
      int manifestPut = indexOf(requests, "PUT /v2/team/order/manifests/1");
      long uploadsCompleted =
          requests.stream().filter(r -> r.startsWith("PUT /v2/team/order/blobs/uploads/")).count();
      assertThat(uploadsCompleted).isEqualTo(3);
      assertThat(manifestPut).isEqualTo(requests.size() - 1);
      assertThat(requests.subList(0, manifestPut))
          .noneMatch(r -> r.contains("/manifests/1") && r.startsWith("PUT"));
    }
  }

  static int indexOf(List<String> requests, String prefix) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no request " + prefix + " in " + requests);
  }
}
