package dev.berth.oci.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualScheduler;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.ImageDetail;
import dev.berth.oci.registry.ImageInspector;
import dev.berth.oci.registry.Platform;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestLayer;
import dev.berth.oci.testing.TestRegistry;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine between two real docker-registry instances. */
class ReplicationEngineIT {
  static TestRegistry source;
  static TestRegistry target;
  static RegistryClient client;

  @BeforeAll
  static void start() {
    source = TestRegistry.start();
    target = TestRegistry.start();
    client = RegistryClient.anonymous();
  }

  @AfterAll
  static void stop() {
    client.close();
    if (source != null) {
      source.close();
    }
    if (target != null) {
      target.close();
    }
  }

  static Endpoint at(TestRegistry r, String repoAndTag) {
    return new Endpoint(client, ImageReference.parse(r.host() + "/" + repoAndTag));
  }

  static ReplicationEngine engine(RecordingJobs jobs, ImageCopier copier) {
    return new ReplicationEngine(
        copier, jobs, RetryPolicy.defaults(), 2, new ManualScheduler(Instant.now()));
  }

  static ReplicationRequest push(Endpoint from, Endpoint to) {
    return new ReplicationRequest("rule", Trigger.PUSH, from, to, Instant.now());
  }

  @Test
  void copiesAnImageWithTheSameDigestAndSkipsTheLayersTheTargetAlreadyHas() {
    PushedImage v1 = TestImages.busybox().page("v1").push(client, source.host() + "/team/web:1");
    PushedImage v2 =
        TestImages.busybox()
            .page("v1")
            .layer(TestLayer.create().file("app.txt", "two", 0644))
            .push(client, source.host() + "/team/web:2");
    RecordingJobs jobs = new RecordingJobs();
    try (ReplicationEngine engine = engine(jobs, new ImageCopier(4, 0))) {
      ReplicationOutcome first =
          engine.submit(push(at(source, "team/web:1"), at(target, "team/web:1"))).join();
      ReplicationOutcome second =
          engine.submit(push(at(source, "team/web:2"), at(target, "team/web:2"))).join();

      assertThat(first.result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      assertThat(client.findManifest(ImageReference.parse(target.host() + "/team/web:1")))
          .contains(v1.digest());
      assertThat(first.stats().blobsCopied()).isEqualTo(2);
      assertThat(first.stats().bytes()).isPositive();
      assertThat(first.latency()).isNotNull();
      assertThat(client.findManifest(ImageReference.parse(target.host() + "/team/web:2")))
          .contains(v2.digest());
      assertThat(second.stats().blobsSkipped()).as("the shared busybox layer").isEqualTo(1);
      assertThat(second.stats().blobsCopied()).as("the new layer and config").isEqualTo(2);
      assertThat(jobs.jobs).hasSize(2);
    }
  }

  @Test
  void imagesCopiedTogetherUploadASharedLayerOnce() {
    byte[] shared = new byte[400_000];
    new Random(11).nextBytes(shared);
    TestLayer base = TestLayer.create().file("shared.bin", shared, 0644);
    int sharedSize = TestLayer.create().file("shared.bin", shared, 0644).tarGz().length;
    java.util.List<java.util.concurrent.CompletableFuture<ReplicationOutcome>> all =
        new java.util.ArrayList<>();
    try (ReplicationEngine engine =
        new ReplicationEngine(
            new ImageCopier(4, 0),
            new RecordingJobs(),
            RetryPolicy.defaults(),
            6,
            new ManualScheduler(Instant.now()))) {
      for (int i = 0; i < 6; i++) {
        TestImages.busybox()
            .page("same")
            .layer(base)
            .layer(TestLayer.create().file("tag.txt", "tag " + i, 0644))
            .push(client, source.host() + "/team/shared:" + i);
      }
      for (int i = 0; i < 6; i++) {
        all.add(
            engine.submit(push(at(source, "team/shared:" + i), at(target, "team/shared:" + i))));
      }
      long bytes =
          all.stream()
              .map(java.util.concurrent.CompletableFuture::join)
              .mapToLong(o -> o.stats().bytes())
              .sum();

      assertThat(all).allMatch(f -> f.join().ok());
      long sharedLayers = sharedSize + TestImages.busyboxLayer("same").tarGz().length;
      assertThat(bytes)
          .as("the two shared layers are streamed once, not six times")
          .isBetween(sharedLayers, sharedLayers + 6L * 4_000);
    }
  }

  @Test
  void copiesAnIndexWithEveryChildManifest() {
    PushedImage amd64 =
        TestImages.busybox().page("multi").push(client, source.host() + "/team/multi:amd64");
    PushedImage arm64 =
        TestImages.busybox()
            .page("multi")
            .architecture("arm64")
            .push(client, source.host() + "/team/multi:arm64");
    PushedImage index = TestImages.pushIndex(client, source.host() + "/team/multi:1", amd64, arm64);
    try (ReplicationEngine engine = engine(new RecordingJobs(), new ImageCopier(4, 0))) {
      ReplicationOutcome out =
          engine.run(push(at(source, "team/multi:1"), at(target, "mirror/multi:1")));

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      assertThat(out.stats().manifests()).isEqualTo(3);
      ImageReference copied = ImageReference.parse(target.host() + "/mirror/multi:1");
      assertThat(client.findManifest(copied)).contains(index.digest());
      assertThat(client.findManifest(copied.withDigest(amd64.digest()))).contains(amd64.digest());
      assertThat(client.findManifest(copied.withDigest(arm64.digest()))).contains(arm64.digest());
      ImageDetail detail = new ImageInspector(client).describe(copied);
      assertThat(detail.isIndex()).isTrue();
      assertThat(detail.images())
          .extracting(ImageDetail.Image::platform)
          .containsExactly(new Platform("linux", "amd64", ""), new Platform("linux", "arm64", ""));
      assertThat(detail.created()).isEqualTo(Instant.parse(TestImages.DEFAULT_CREATED));
    }
  }

  @Test
  void mountsBlobsInsteadOfCopyingWithinOneRegistry() {
    PushedImage image =
        TestImages.busybox().page("mount").push(client, source.host() + "/team/mount:1");
    try (ReplicationEngine engine = engine(new RecordingJobs(), new ImageCopier(4, 0))) {
      ReplicationOutcome out =
          engine.run(push(at(source, "team/mount:1"), at(source, "release/mount:1")));

      assertThat(out.stats().blobsMounted()).isEqualTo(2);
      assertThat(out.stats().bytes()).isZero();
      assertThat(client.findManifest(ImageReference.parse(source.host() + "/release/mount:1")))
          .contains(image.digest());
    }
  }

  @Test
  void aSyncOfAnImageTheTargetAlreadyHasRecordsNoJob() {
    TestImages.busybox().page("sync").push(client, source.host() + "/team/sync:1");
    RecordingJobs jobs = new RecordingJobs();
    try (ReplicationEngine engine = engine(jobs, new ImageCopier(4, 0))) {
      ReplicationRequest sync =
          new ReplicationRequest(
              "rule", Trigger.SYNC, at(source, "team/sync:1"), at(target, "team/sync:1"), null);
      assertThat(engine.run(sync).result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      assertThat(engine.run(sync).result()).isEqualTo(ReplicationOutcome.Result.UP_TO_DATE);
      assertThat(jobs.jobs).hasSize(1);
      assertThat(jobs.only().start().trigger()).isEqualTo(Trigger.SYNC);
    }
  }

  @Test
  void chunkedUploadsCopyALayerLargerThanOneChunk() {
    byte[] noise = new byte[300_000];
    new Random(7).nextBytes(noise);
    PushedImage image =
        TestImages.busybox()
            .layer(TestLayer.create().file("noise.bin", noise, 0644))
            .push(client, source.host() + "/team/chunked:1");
    try (ReplicationEngine engine = engine(new RecordingJobs(), new ImageCopier(2, 64 * 1024))) {
      ReplicationOutcome out =
          engine.run(push(at(source, "team/chunked:1"), at(target, "team/chunked:1")));

      assertThat(out.result()).isEqualTo(ReplicationOutcome.Result.SUCCEEDED);
      assertThat(client.findManifest(ImageReference.parse(target.host() + "/team/chunked:1")))
          .contains(image.digest());
    }
  }

  @Test
  void catalogAndTagsComePageByPageWithTheCursorForTheNext() {
    TestImages.busybox().push(client, source.host() + "/paged/a:1");
    TestImages.busybox().push(client, source.host() + "/paged/b:1");

    RegistryClient.Page first = client.catalogPage(source.host(), 1, null);
    RegistryClient.Page second = client.catalogPage(source.host(), 1, first.next());

    assertThat(first.items()).hasSize(1);
    assertThat(first.next()).isEqualTo(first.items().getFirst());
    assertThat(second.items()).hasSize(1).doesNotContainAnyElementsOf(first.items());
    assertThat(client.tagsPage(ImageReference.parse(source.host() + "/paged/a"), 10, null).items())
        .containsExactly("1");
  }

  @Test
  void aRepositorySyncedAsOnePlanChecksAndCopiesEachSharedLayerOnceAndEachManifestAfterItsBlobs()
      throws Exception {
    byte[] shared = new byte[300_000];
    new Random(21).nextBytes(shared);
    TestLayer base = TestLayer.create().file("base.bin", shared, 0644);
    String baseDigest = dev.berth.oci.Digests.sha256(base.tarGz());
    java.util.List<PushedImage> images = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      images.add(
          TestImages.busybox()
              .page("plan")
              .layer(base)
              .layer(TestLayer.create().file("tag.txt", "tag " + i, 0644))
              .push(client, source.host() + "/team/plan:" + i));
    }
    PushedImage arm64 =
        TestImages.busybox()
            .page("plan")
            .architecture("arm64")
            .layer(base)
            .push(client, source.host() + "/team/plan:arm64");
    PushedImage index =
        TestImages.pushIndex(client, source.host() + "/team/plan:multi", images.getFirst(), arm64);
    RecordingJobs jobs = new RecordingJobs();
    try (dev.berth.oci.registry.RegistryFront front =
            new dev.berth.oci.registry.RegistryFront(target.host());
        ReplicationEngine engine =
            new ReplicationEngine(
                new ImageCopier(2, 0),
                jobs,
                RetryPolicy.defaults(),
                2,
                new ManualScheduler(Instant.now()))) {
      Endpoint already = new Endpoint(client, ImageReference.parse(front.host() + "/team/plan:0"));
      engine.run(
          new ReplicationRequest("rule", Trigger.PUSH, at(source, "team/plan:0"), already, null));
      front.requests.clear();
      jobs.jobs.clear();
      java.util.List<ReplicationRequest> sync = new java.util.ArrayList<>();
      for (String tag : java.util.List.of("0", "1", "2", "3", "4", "arm64", "multi")) {
        sync.add(
            new ReplicationRequest(
                "rule",
                Trigger.SYNC,
                at(source, "team/plan:" + tag),
                new Endpoint(client, ImageReference.parse(front.host() + "/team/plan:" + tag)),
                null));
      }

      java.util.List<ReplicationOutcome> outcomes =
          engine.submitAll(sync).stream()
              .map(java.util.concurrent.CompletableFuture::join)
              .toList();

      assertThat(outcomes)
          .extracting(ReplicationOutcome::result)
          .containsExactly(
              ReplicationOutcome.Result.UP_TO_DATE,
              ReplicationOutcome.Result.SUCCEEDED,
              ReplicationOutcome.Result.SUCCEEDED,
              ReplicationOutcome.Result.SUCCEEDED,
              ReplicationOutcome.Result.SUCCEEDED,
              ReplicationOutcome.Result.SUCCEEDED,
              ReplicationOutcome.Result.SUCCEEDED);
      assertThat(jobs.jobs)
          .as("one job per image the target lacked, none for the one it had")
          .hasSize(6);
      for (int i = 1; i < 5; i++) {
        assertThat(client.findManifest(ImageReference.parse(target.host() + "/team/plan:" + i)))
            .contains(images.get(i).digest());
      }
      assertThat(client.findManifest(ImageReference.parse(target.host() + "/team/plan:multi")))
          .contains(index.digest());
      assertThat(
              client.findManifest(
                  ImageReference.parse(target.host() + "/team/plan@" + arm64.digest())))
          .contains(arm64.digest());
      java.util.List<String> requests = java.util.List.copyOf(front.requests);
      assertThat(
              requests.stream().filter(r -> r.startsWith("HEAD /v2/team/plan/blobs/" + baseDigest)))
          .as("the shared layer is checked once for the whole repository")
          .hasSize(1);
      long uploads =
          requests.stream().filter(r -> r.startsWith("PUT /v2/team/plan/blobs/uploads/")).count();
      long blobsCopied =
          outcomes.stream()
              .filter(o -> o.stats() != null)
              .mapToLong(o -> o.stats().blobsCopied())
              .sum();
      assertThat(blobsCopied).as("each blob streamed once and counted once").isEqualTo(uploads);
      for (String tag : java.util.List.of("1", "2", "3", "4", "arm64")) {
        int manifestPut = requests.indexOf("PUT /v2/team/plan/manifests/" + tag);
        assertThat(manifestPut).as("the manifest of %s is pushed", tag).isNotNegative();
        for (var blob :
            client.getManifest(ImageReference.parse(source.host() + "/team/plan:" + tag)).blobs()) {
          String upload = "digest=" + blob.digest().replace(":", "%3A");
          for (int i = manifestPut; i < requests.size(); i++) {
            assertThat(requests.get(i))
                .as("blobs of %s are in before its manifest", tag)
                .doesNotEndWith(upload);
          }
        }
      }
      assertThat(requests.indexOf("PUT /v2/team/plan/manifests/" + arm64.digest()))
          .as("an index's child goes in before the index")
          .isLessThan(requests.indexOf("PUT /v2/team/plan/manifests/multi"));
    }
  }

  @Test
  void aPlanIntoARepositoryTheTargetLacksUploadsEachBlobOnceWithoutAskingForIt() throws Exception {
    java.util.List<PushedImage> images = new java.util.ArrayList<>();
    java.util.Set<String> blobs = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      images.add(
          TestImages.busybox()
              .page("fresh")
              .layer(TestLayer.create().file("n.txt", "n " + i, 0644))
              .push(client, source.host() + "/team/fresh:" + i));
      client
          .getManifest(ImageReference.parse(images.get(i).reference()))
          .blobs()
          .forEach(d -> blobs.add(d.digest()));
    }
    RecordingJobs jobs = new RecordingJobs();
    try (dev.berth.oci.registry.RegistryFront front =
            new dev.berth.oci.registry.RegistryFront(target.host());
        ReplicationEngine engine = engine(jobs, new ImageCopier(2, 0))) {
      java.util.List<ReplicationRequest> sync = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sync.add(
            new ReplicationRequest(
                "rule",
                Trigger.SYNC,
                at(source, "team/fresh:" + i),
                new Endpoint(client, ImageReference.parse(front.host() + "/mirror/fresh:" + i)),
                null));
      }

      java.util.List<ReplicationOutcome> outcomes =
          engine.submitAll(sync).stream()
              .map(java.util.concurrent.CompletableFuture::join)
              .toList();

      assertThat(outcomes).allMatch(o -> o.result() == ReplicationOutcome.Result.SUCCEEDED);
      for (int i = 0; i < 3; i++) {
        assertThat(client.findManifest(ImageReference.parse(target.host() + "/mirror/fresh:" + i)))
            .contains(images.get(i).digest());
      }
      assertThat(front.count("HEAD /v2/mirror/fresh/"))
          .as("a repository the target lacks has nothing to skip")
          .isZero();
      assertThat(front.count("PUT /v2/mirror/fresh/blobs/uploads/"))
          .as("each distinct blob once")
          .isEqualTo(blobs.size());
      assertThat(
              outcomes.stream()
                  .mapToInt(o -> o.stats().blobsCopied() + o.stats().blobsSkipped())
                  .sum())
          .as("each image counts every blob it names, copied by itself or by another")
          .isEqualTo(
              images.stream()
                  .mapToInt(
                      im -> client.getManifest(ImageReference.parse(im.reference())).blobs().size())
                  .sum());
      assertThat(jobs.jobs).hasSize(3);
    }
  }
}
