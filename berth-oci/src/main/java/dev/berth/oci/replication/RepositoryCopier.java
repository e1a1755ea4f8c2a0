package dev.berth.oci.replication;

import dev.berth.oci.registry.Descriptor;
import dev.berth.oci.registry.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Copies many images of one source repository into one target repository as one plan, instead of
 * image by image: every distinct blob and index child is checked (HEAD, unless the target
 * repository is new) and copied once for all the images, by whichever image names it first, and
 * each image goes on as soon as its own manifest is known, so the biggest layer starts moving while
 * the other tags are still being looked up. The order that keeps a tag from naming missing content
 * holds per image: blobs, then index children, then the manifest.
 *
 * <p>Requests of all plans together are bounded by {@code width}; an image waiting for content
 * holds no place. A blob that fails fails only the images that need it. Blobs copied count for the
 * image that started them; the others count them as skipped. Thread-safe.
 */
final class RepositoryCopier {
  private final ImageCopier copier;

  /**
   * Requests of all plans at a time: shared, so plans of many repositories together stay within it.
   */
  private final Semaphore requests;

  RepositoryCopier(ImageCopier copier, int width) {
    this.copier = copier;
    this.requests = new Semaphore(width, true);
  }

  /** Runs one registry operation within the shared bound. */
  <T> T limited(Supplier<T> operation) {
    requests.acquireUninterruptibly();
    try {
      return operation.get();
    } finally {
      requests.release();
    }
  }

  /**
   * A plan from {@code source}'s repository to {@code target}'s; close it when every image is done.
   *
   * @param targetIsNew the target repository did not exist when the plan began (its tag listing
   *     answered "unknown repository"), so it has no blob to skip: blobs go without a HEAD
   */
  Plan plan(Endpoint source, Endpoint target, boolean targetIsNew) {
    return new Plan(source, target, targetIsNew);
  }

  /** The content of one repository copy in progress: each blob and child manifest once. */
  final class Plan implements AutoCloseable {
    private final Endpoint source;
    private final Endpoint target;
    private final boolean targetIsNew;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<Void>> blobs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> children = new ConcurrentHashMap<>();

    private Plan(Endpoint source, Endpoint target, boolean targetIsNew) {
      this.source = source;
      this.target = target;
      this.targetIsNew = targetIsNew;
    }

    /**
     * Copies what {@code top} names (shared work done once per plan) and then pushes {@code top}
     * under {@code to}'s tag. Blocks until done.
     */
    CopyStats copy(Endpoint to, Manifest top) {
      ImageCopier.Counters counters = new ImageCopier.Counters();
      Set<String> asked = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> content = new ArrayList<>();
      if (top.isIndex()) {
        top.manifests().forEach(child -> content.add(child(child.digest(), counters, asked)));
      } else {
        content.addAll(blobsOf(top, counters, asked));
      }
      await(content);
      limited(
          () -> {
            to.client().putManifest(to.ref(), top.mediaType(), top.body());
            return null;
          });
      counters.manifests.incrementAndGet();
      counters.skipped.set(asked.size() - counters.copied.get() - counters.mounted.get());
      return counters.stats(top.digest());
    }

    private List<CompletableFuture<Void>> blobsOf(
        Manifest m, ImageCopier.Counters counters, Set<String> asked) {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (Descriptor blob : ImageCopier.largestFirst(new LinkedHashSet<>(m.blobs()))) {
        asked.add(blob.digest());
        all.add(
            blobs.computeIfAbsent(
                blob.digest(),
                d ->
                    CompletableFuture.runAsync(
                        () ->
                            limited(
                                () -> {
                                  copier.copyBlob(source, target, blob, counters, targetIsNew);
                                  return null;
                                }),
                        executor)));
      }
      return all;
    }

    /** An index child: looked up once; when missing, its content copied and it pushed by digest. */
    private CompletableFuture<Void> child(
        String digest, ImageCopier.Counters counters, Set<String> asked) {
      return children.computeIfAbsent(
          digest,
          d ->
              CompletableFuture.runAsync(
                  () -> {
                    Endpoint at = new Endpoint(target.client(), target.ref().withDigest(d));
                    if (limited(() -> at.client().findManifest(at.ref())).isPresent()) {
                      return;
                    }
                    Manifest m =
                        limited(() -> source.client().getManifest(source.ref().withDigest(d)));
                    if (m.isIndex()) { // an index in an index: rare; its content is copied the
                      // image-by-image way
                      copier.copyManifestContent(source, at, m, counters);
                    } else {
                      await(blobsOf(m, counters, asked));
                    }
                    limited(() -> at.client().putManifest(at.ref(), m.mediaType(), m.body()));
                    counters.manifests.incrementAndGet();
                  },
                  executor));
    }

    private static void await(List<CompletableFuture<Void>> all) {
      RuntimeException first = null;
      for (CompletableFuture<Void> f : all) {
        try {
          f.join();
        } catch (CompletionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void close() {
      executor.close();
    }
  }
}
