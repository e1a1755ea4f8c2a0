package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestLayer;
import dev.berth.oci.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciImageStoreIT {
  static TestRegistry registry;
  static RegistryClient client;

  @TempDir Path root;

  @BeforeAll
  static void startRegistry() {
    registry = TestRegistry.start();
    client = RegistryClient.anonymous();
  }

  @AfterAll
  static void stopRegistry() {
    client.close();
    registry.close();
  }

  @Test
  void preparesPushedBusyboxImageWithExecutableShellAndPage() throws Exception {
    PushedImage pushed =
        TestImages.busybox().page("hello berth").push(client, registry.host() + "/demo/web:1");
    OciImageStore store = new OciImageStore(root, client);

    PreparedImage image = store.prepare(pushed.reference());

    assertThat(image.digest()).isEqualTo(pushed.digest());
    assertThat(image.reference()).isEqualTo(pushed.reference());
    Path rootfs = image.rootfs();
    assertThat(rootfs)
        .isEqualTo(root.resolve("images").resolve(Digests.hex(pushed.digest())).resolve("rootfs"));
    assertThat(Files.isExecutable(rootfs.resolve("bin/busybox"))).isTrue();
    assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
    assertThat(Files.readString(rootfs.resolve("www/index.html"))).isEqualTo("hello berth");
    assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .satisfies(mode -> assertThat((int) mode & 07777).isEqualTo(01777));
    for (String dir : List.of("proc", "dev", "sys", "tmp", "etc")) {
      assertThat(rootfs.resolve(dir)).isDirectory();
    }
    assertThat(image.config().cmd()).isEqualTo(TestImages.DEFAULT_CMD);
    assertThat(image.config().env()).containsExactly("PATH=/bin");
    assertThat(image.config().exposedPorts()).containsExactly("8080/tcp");
    assertThat(image.config().created()).isEqualTo(TestImages.DEFAULT_CREATED);
    assertThat(rootfs.resolveSibling("image.json")).isRegularFile();
  }

  @Test
  void resolveReturnsTheDigestThePushReturned() {
    PushedImage pushed =
        TestImages.busybox().page("resolve").push(client, registry.host() + "/demo/resolve:v1");

    assertThat(new OciImageStore(root, client).resolve(pushed.reference()))
        .isEqualTo(pushed.digest());
  }

  @Test
  void aTagResolvedMomentsAgoIsNotAskedForAgainUntilItsFreshnessWindowHasPassed() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.EPOCH);
    OciImageStore store =
        new OciImageStore(
            root, client, PullThrough.none(), java.time.Duration.ofSeconds(10), now::get);
    PushedImage first =
        TestImages.busybox().page("first").push(client, registry.host() + "/demo/moving:1");
    assertThat(store.resolve(first.reference())).isEqualTo(first.digest());
    PushedImage second =
        TestImages.busybox().page("second").push(client, registry.host() + "/demo/moving:1");

    now.set(java.time.Instant.EPOCH.plusSeconds(9));
    assertThat(store.resolve(first.reference()))
        .as("within the window: the manifest resolved before")
        .isEqualTo(first.digest());
    assertThat(store.prepare(first.reference()).digest()).isEqualTo(first.digest());
    assertThat(store.resolve(registry.host() + "/demo/moving@" + second.digest()))
        .as("digests are never cached")
        .isEqualTo(second.digest());

    now.set(java.time.Instant.EPOCH.plusSeconds(10));
    assertThat(store.resolve(first.reference()))
        .as("after the window: asked again")
        .isEqualTo(second.digest());
    assertThatThrownBy(() -> store.resolve(registry.host() + "/demo/moving:2"))
        .isInstanceOf(ImageNotFoundException.class);
    PushedImage late =
        TestImages.busybox().page("late").push(client, registry.host() + "/demo/moving:2");
    assertThat(store.resolve(late.reference()))
        .as("a failed resolution is not kept")
        .isEqualTo(late.digest());
  }

  @Test
  void sameInputsGiveTheSameDigest() {
    PushedImage a =
        TestImages.busybox().page("same").push(client, registry.host() + "/demo/same:a");
    PushedImage b =
        TestImages.busybox().page("same").push(client, registry.host() + "/demo/same:b");

    assertThat(a.digest()).isEqualTo(b.digest());
  }

  @Test
  void preparingAgainReturnsAtOnceWithoutUnpacking() {
    PushedImage pushed =
        TestImages.busybox().page("twice").push(client, registry.host() + "/demo/twice:1");
    OciImageStore store = new OciImageStore(root, client);

    PreparedImage first = store.prepare(pushed.reference());
    PreparedImage second = store.prepare(pushed.pinned());

    assertThat(second.rootfs()).isEqualTo(first.rootfs());
    assertThat(second.reference()).isEqualTo(pushed.pinned());
    assertThat(store.unpackCount()).isEqualTo(1);
    assertThat(new OciImageStore(root, client).find(pushed.digest()))
        .get()
        .satisfies(found -> assertThat(found.config()).isEqualTo(first.config()));
  }

  @Test
  void concurrentPreparesOfOneImageUnpackOnce() throws Exception {
    PushedImage pushed =
        TestImages.busybox()
            .page("concurrent")
            .push(client, registry.host() + "/demo/concurrent:1");
    OciImageStore store = new OciImageStore(root, client);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PreparedImage>> results = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        results.add(
            executor.submit(
                () -> {
                  go.await();
                  return store.prepare(pushed.reference());
                }));
      }
      go.countDown();
      for (Future<PreparedImage> result : results) {
        assertThat(result.get().digest()).isEqualTo(pushed.digest());
      }
    }

    assertThat(store.unpackCount()).isEqualTo(1);
    try (var entries = Files.list(root.resolve("images"))) {
      assertThat(entries.map(p -> p.getFileName().toString()).toList())
          .containsExactly(Digests.hex(pushed.digest()));
    }
  }

  @Test
  void upperLayerWhiteoutsHideLowerFiles() throws Exception {
    PushedImage pushed =
        TestImages.busybox()
            .layer(
                TestLayer.create()
                    .whiteout("bin/wget")
                    .opaque("www")
                    .file("www/new.html", "new", 0644))
            .push(client, registry.host() + "/demo/layered:1");

    Path rootfs = new OciImageStore(root, client).prepare(pushed.reference()).rootfs();

    assertThat(rootfs.resolve("bin/wget")).doesNotExist();
    assertThat(rootfs.resolve("bin/sh")).isSymbolicLink();
    assertThat(rootfs.resolve("www/index.html")).doesNotExist();
    assertThat(rootfs.resolve("www/new.html")).hasContent("new");
  }

  @Test
  void indexIsResolvedToItsAmd64Manifest() {
    String repo = registry.host() + "/demo/multi";
    PushedImage amd64 = TestImages.busybox().page("amd64").push(client, repo + ":amd64");
    PushedImage arm64 =
        TestImages.busybox().page("arm64").architecture("arm64").push(client, repo + ":arm64");
    PushedImage index = TestImages.pushIndex(client, repo + ":1", arm64, amd64);
    OciImageStore store = new OciImageStore(root, client);

    assertThat(store.resolve(index.reference())).isEqualTo(amd64.digest());
    assertThat(store.resolve(index.pinned())).isEqualTo(amd64.digest());
    assertThat(client.headManifest(ImageReference.parse(index.reference())))
        .isEqualTo(index.digest());
    PreparedImage prepared = store.prepare(index.reference());
    assertThat(prepared.digest()).isEqualTo(amd64.digest());
    assertThat(prepared.rootfs().resolve("www/index.html")).hasContent("amd64");
  }

  @Test
  void unknownTagIsImageNotFound() {
    TestImages.busybox().push(client, registry.host() + "/demo/known:1");
    OciImageStore store = new OciImageStore(root, client);

    assertThatThrownBy(() -> store.prepare(registry.host() + "/demo/known:nope"))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(registry.host() + "/demo/known:nope");
  }

  @Test
  void unknownRepositoryIsImageNotFound() {
    OciImageStore store = new OciImageStore(root, client);

    assertThatThrownBy(() -> store.resolve(registry.host() + "/no/such:1"))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(registry.host() + "/no/such:1");
  }

  @Test
  void stoppedRegistryIsUnavailable() {
    TestRegistry stopped = TestRegistry.start();
    String reference = TestImages.pushBusybox(stopped.host() + "/demo/gone:1", "gone");
    stopped.close();

    assertThatThrownBy(() -> new OciImageStore(root, client).prepare(reference))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining(stopped.host());
  }
}
