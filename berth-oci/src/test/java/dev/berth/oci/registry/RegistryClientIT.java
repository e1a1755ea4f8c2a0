package dev.berth.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.core.time.ManualScheduler;
import dev.berth.core.time.Scheduler;
import dev.berth.oci.Digests;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import dev.berth.oci.OciImageStore;
import dev.berth.oci.PreparedImage;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientIT {
  static TestRegistry registry;
  static RegistryClient direct;
  static PushedImage image;

  RegistryFront front;
  @TempDir Path root;

  @BeforeAll
  static void startRegistry() {
    registry = TestRegistry.start();
    direct = RegistryClient.anonymous();
    image =
        TestImages.busybox()
            .page("through the front")
            .push(direct, registry.host() + "/demo/front:1");
  }

  @AfterAll
  static void stopRegistry() {
    direct.close();
    registry.close();
  }

  @BeforeEach
  void startFront() throws Exception {
    front = new RegistryFront(registry.host());
  }

  @AfterEach
  void stopFront() {
    front.close();
  }

  String viaFront() {
    return front.host() + "/demo/front:1";
  }

  RegistryClient clientWith(String user, String password, Scheduler scheduler) {
    return RegistryClient.builder()
        .credentials(
            Credentials.of(Map.of(front.host(), new Credentials.UsernamePassword(user, password))))
        .scheduler(scheduler)
        .build();
  }

  @Test
  void pullsThroughABearerTokenFrontWithOneTokenPerScope() {
    front.auth = RegistryFront.Auth.BEARER;
    try (RegistryClient client = clientWith("berth", "s3cret", null)) {
      PreparedImage prepared = new OciImageStore(root, client).prepare(viaFront());

      assertThat(prepared.digest()).isEqualTo(image.digest());
      assertThat(prepared.rootfs().resolve("www/index.html")).hasContent("through the front");
      assertThat(front.tokenRequests).hasValue(1);
      assertThat(front.requests)
          .anyMatch(
              r -> r.startsWith("GET /token?service=front&scope=repository%3Ademo%2Ffront%3Apull"));
    }
  }

  @Test
  void fetchesANewTokenOnceTheCachedOneExpires() {
    front.auth = RegistryFront.Auth.BEARER;
    front.tokenLifetimeSeconds = 60;
    ManualScheduler clock = new ManualScheduler();
    try (RegistryClient client = clientWith("berth", "s3cret", clock)) {
      ImageReference ref = ImageReference.parse(viaFront());
      client.headManifest(ref);
      client.headManifest(ref);
      assertThat(front.tokenRequests).hasValue(1);

      clock.advance(Duration.ofSeconds(55));
      client.headManifest(ref);

      assertThat(front.tokenRequests).hasValue(2);
      // challenge + retry, cached token, then challenge + retry again after expiry
      assertThat(front.count("HEAD /v2/demo/front/manifests/1")).isEqualTo(5);
    }
  }

  @Test
  void pushesThroughABearerTokenFrontWithPushScope() {
    front.auth = RegistryFront.Auth.BEARER;
    try (RegistryClient client = clientWith("berth", "s3cret", null)) {
      PushedImage pushed =
          TestImages.busybox()
              .page("pushed via front")
              .push(client, front.host() + "/demo/pushed:1");

      assertThat(direct.headManifest(ImageReference.parse(registry.host() + "/demo/pushed:1")))
          .isEqualTo(pushed.digest());
      assertThat(front.requests)
          .anyMatch(r -> r.contains("scope=repository%3Ademo%2Fpushed%3Apull%2Cpush"));
    }
  }

  @Test
  void wrongPasswordIsReportedAsCredentialsRejected() {
    front.auth = RegistryFront.Auth.BEARER;
    try (RegistryClient client = clientWith("berth", "wrong", null)) {
      assertThatThrownBy(() -> client.getManifest(ImageReference.parse(viaFront())))
          .isInstanceOf(RegistryAuthenticationException.class)
          .hasMessageContaining("credentials rejected by " + front.host());
    }
  }

  @Test
  void anonymousClientIsToldCredentialsAreNeeded() {
    front.auth = RegistryFront.Auth.BEARER;
    try (RegistryClient client = RegistryClient.anonymous()) {
      assertThatThrownBy(() -> client.getManifest(ImageReference.parse(viaFront())))
          .isInstanceOf(RegistryAuthenticationException.class)
          .hasMessageContaining("requires credentials");
    }
  }

  @Test
  void pullsThroughABasicAuthFrontAndSendsCredentialsUpFrontAfterwards() {
    front.auth = RegistryFront.Auth.BASIC;
    try (RegistryClient client = clientWith("berth", "s3cret", null)) {
      PreparedImage prepared = new OciImageStore(root, client).prepare(viaFront());

      assertThat(prepared.rootfs().resolve("bin/busybox")).isExecutable();
      assertThat(front.requests.stream().filter(r -> r.contains("/blobs/"))).hasSize(2);
    }
  }

  @Test
  void wrongBasicPasswordIsReportedAsCredentialsRejected() {
    front.auth = RegistryFront.Auth.BASIC;
    try (RegistryClient client = clientWith("berth", "nope", null)) {
      assertThatThrownBy(() -> client.headManifest(ImageReference.parse(viaFront())))
          .isInstanceOf(RegistryAuthenticationException.class)
          .hasMessageContaining("credentials rejected by " + front.host());
    }
  }

  @Test
  void corruptedBlobIsRefusedAndNothingIsStored() throws Exception {
    front.corruptBlobs = true;
    OciImageStore store = new OciImageStore(root, direct);

    assertThatThrownBy(() -> store.prepare(viaFront()))
        .isInstanceOf(ImageContentException.class)
        .hasMessageContaining("does not match its digest");

    try (var blobs = Files.list(root.resolve("blobs/sha256"));
        var tmp = Files.list(root.resolve("blobs/tmp"));
        var images = Files.list(root.resolve("images"))) {
      assertThat(blobs).isEmpty();
      assertThat(tmp).isEmpty();
      assertThat(images).isEmpty();
    }
  }

  @Test
  void followsBlobRedirectsToAnotherHost() {
    front.redirectBlobs = true;

    PreparedImage prepared = new OciImageStore(root, direct).prepare(viaFront());

    assertThat(prepared.rootfs().resolve("www/index.html")).hasContent("through the front");
    assertThat(front.requests.stream().filter(r -> r.startsWith("GET") && r.contains("/blobs/")))
        .hasSize(2);
  }

  @Test
  void serverErrorsMeanTheRegistryIsUnavailable() {
    front.failWith = 503;

    assertThatThrownBy(() -> direct.getManifest(ImageReference.parse(viaFront())))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("503");
  }

  @Test
  void listsCatalogAndTagsAcrossPages() {
    String repo = front.host() + "/paging/app";
    for (int i = 1; i <= 5; i++) {
      TestImages.busybox().push(direct, registry.host() + "/paging/app:t" + i);
    }
    TestImages.busybox().push(direct, registry.host() + "/paging/other:1");

    assertThat(direct.tags(ImageReference.parse(repo), 2))
        .containsExactly("t1", "t2", "t3", "t4", "t5");
    assertThat(front.count("GET /v2/paging/app/tags/list")).isEqualTo(3);
    assertThat(direct.catalog(front.host(), 1))
        .contains("demo/front", "paging/app", "paging/other")
        .doesNotHaveDuplicates()
        .isSorted();
    assertThat(front.count("GET /v2/_catalog")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void tagsOfAnUnknownRepositoryAreNotFound() {
    assertThatThrownBy(() -> direct.tags(ImageReference.parse(registry.host() + "/no/such"), 10))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(registry.host() + "/no/such");
  }

  @Test
  void pushesABlobFromAFileAndStreamsItBackVerified() throws Exception {
    byte[] content =
        IntStream.range(0, 300_000)
            .mapToObj(i -> (byte) (i * 31))
            .collect(
                java.io.ByteArrayOutputStream::new,
                java.io.ByteArrayOutputStream::write,
                (a, b) -> {})
            .toByteArray();
    Path file = Files.write(root.resolve("blob"), content);
    String digest = Digests.sha256(content);
    ImageReference repo = ImageReference.parse(registry.host() + "/demo/blobs");

    assertThat(direct.hasBlob(repo, digest)).isFalse();
    direct.uploads().pushFile(repo, digest, file);

    assertThat(direct.hasBlob(repo, digest)).isTrue();
    try (InputStream in = direct.openBlob(repo, digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void unknownBlobIsNotFound() {
    ImageReference repo = ImageReference.parse(registry.host() + "/demo/front");
    String digest = Digests.sha256(new byte[] {1, 2, 3});

    assertThatThrownBy(() -> direct.openBlob(repo, digest).close())
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(digest);
  }

  @Test
  void headManifestMatchesTheDigestOfTheServedBytes() {
    ImageReference ref = ImageReference.parse(registry.host() + "/demo/front:1");

    assertThat(direct.headManifest(ref)).isEqualTo(image.digest());
    assertThat(direct.getManifest(ref.withDigest(image.digest())).layers()).hasSize(1);
  }
}
