package dev.berth.oci.replication;

import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.Descriptor;
import dev.berth.oci.registry.Manifest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies one image from a source registry to a target registry, so that the target's tag never
 * points at anything incomplete:
 *
 * <ol>
 *   <li>the source manifest is fetched (by digest when known, and checked against it);
 *   <li>when the target already has that digest under the tag, nothing is sent;
 *   <li>for an index, every child manifest is copied first (its blobs, then the child by digest);
 *   <li>an image's config and layers are copied in parallel (at most {@code parallelBlobs} at a
 *       time per image): skipped when the target has them (HEAD), mounted when source and target
 *       are the same registry, else streamed from the source's response into the target's upload,
 *       never whole in memory, the digest checked on the way;
 *   <li>the manifest is pushed last, with the exact source bytes (so the same digest).
 * </ol>
 *
 * Images copied at the same time that share a layer upload it once per target repository (the
 * others wait for that upload). Thread-safe. Throws what the registry client throws; a blob whose
 * bytes do not match its digest is an {@link ImageContentException} and is not committed in the
 * target (the upload is aborted before its end).
 */
public final class ImageCopier {
  static final int DROPPED_BLOB_RETRIES = 2;
  private final int parallelBlobs;
  private final int chunkSize;

  /**
   * Blob uploads in progress, by target repository and digest: images sharing layers copy each
   * once.
   */
  private final Map<String, CompletableFuture<Void>> uploading = new ConcurrentHashMap<>();

  /**
   * @param parallelBlobs blobs of one image copied at the same time (≥ 1)
   * @param chunkSize 0 for one streamed PUT per blob; otherwise the largest PATCH chunk in bytes
   */
  public ImageCopier(int parallelBlobs, int chunkSize) {
    if (parallelBlobs < 1 || chunkSize < 0) {
      throw new IllegalArgumentException(
          "parallelBlobs must be >= 1 and chunkSize >= 0, were "
              + parallelBlobs
              + " and "
              + chunkSize);
    }
    this.parallelBlobs = parallelBlobs;
    this.chunkSize = chunkSize;
  }

  /** Copies what {@code source} names to {@code target}'s tag. */
  public CopyStats copy(Endpoint source, Endpoint target) {
    Manifest top = source.client().getManifest(source.ref());
    Optional<String> present = target.client().findManifest(target.ref());
    if (present.isPresent() && present.get().equals(top.digest())) {
      return new CopyStats(top.digest(), 0, 0, 0, 0, 0, true);
    }
    Counters counters = new Counters();
    copyManifestContent(source, target, top, counters);
    target.client().putManifest(target.ref(), top.mediaType(), top.body());
    counters.manifests.incrementAndGet();
    return counters.stats(top.digest());
  }

  void copyManifestContent(Endpoint source, Endpoint target, Manifest m, Counters counters) {
    if (!m.isIndex()) {
      copyBlobs(source, target, m.blobs(), counters);
      return;
    }
    for (Descriptor child : m.manifests()) {
      ImageReference childTarget = target.ref().withDigest(child.digest());
      if (target.client().findManifest(childTarget).isPresent()) {
        continue;
      }
      Manifest childManifest = source.client().getManifest(source.ref().withDigest(child.digest()));
      copyManifestContent(source, target, childManifest, counters);
      target.client().putManifest(childTarget, childManifest.mediaType(), childManifest.body());
      counters.manifests.incrementAndGet();
    }
  }

  private void copyBlobs(
      Endpoint source, Endpoint target, List<Descriptor> blobs, Counters counters) {
    Map<String, Descriptor> unique = new LinkedHashMap<>();
    blobs.forEach(d -> unique.putIfAbsent(d.digest(), d));
    Parallel.throwFirst(
        Parallel.each(
            largestFirst(unique.values()),
            parallelBlobs,
            blob -> copyBlob(source, target, blob, counters)));
  }

  /**
   * The biggest blobs start first: the longest copy sets the end, the small ones fit in beside it.
   */
  static List<Descriptor> largestFirst(java.util.Collection<Descriptor> blobs) {
    return blobs.stream()
        .sorted(java.util.Comparator.comparingLong(Descriptor::size).reversed())
        .toList();
  }

  /** Blobs of one image copied at the same time. */
  int parallelBlobs() {
    return parallelBlobs;
  }

  /**
   * Makes one blob present in the target: skipped when there (one HEAD), awaited when another copy
   * is uploading it to the same repository, else mounted or streamed. A copy whose connection drops
   * is tried again up to {@value #DROPPED_BLOB_RETRIES} times (after a HEAD: the cut upload may
   * have been stored); other failures go to the caller.
   */
  void copyBlob(Endpoint source, Endpoint target, Descriptor blob, Counters counters) {
    copyBlob(source, target, blob, counters, false);
  }

  /**
   * The same; {@code repositoryIsNew} skips the first HEAD, for a target repository that did not
   * exist when the copy began (it cannot have the blob; a copy running beside this one is still
   * awaited, and a retry checks again).
   */
  void copyBlob(
      Endpoint source,
      Endpoint target,
      Descriptor blob,
      Counters counters,
      boolean repositoryIsNew) {
    ImageReference to = target.ref();
    String key = to.apiHost() + "/" + to.repository() + "@" + blob.digest();
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> other = uploading.putIfAbsent(key, mine);
    if (other != null) {
      try {
        other.join(); // another image is uploading the same layer to the same repository
        counters.skipped.incrementAndGet();
        return;
      } catch (RuntimeException failedThere) {
        // that copy failed; this one tries by itself
      }
    }
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          if (!(repositoryIsNew && attempt == 0) && target.client().hasBlob(to, blob.digest())) {
            counters.skipped.incrementAndGet();
          } else {
            upload(source, target, blob, counters);
          }
          break;
        } catch (RegistryUnavailableException e) {
          if (attempt == DROPPED_BLOB_RETRIES || !RetryPolicy.droppedConnection(e)) {
            throw e;
          }
        }
      }
      mine.complete(null);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      uploading.remove(key, mine);
    }
  }

  private void upload(Endpoint source, Endpoint target, Descriptor blob, Counters counters) {
    ImageReference to = target.ref();
    if (source.sameRegistry(target)
        && !source.ref().repository().equals(to.repository())
        && target.client().uploads().mount(to, blob.digest(), source.ref().repository())) {
      counters.mounted.incrementAndGet();
      return;
    }
    AtomicReference<RuntimeException> damaged = new AtomicReference<>();
    try (InputStream in =
        new Watched(source.client().openBlob(source.ref(), blob.digest()), damaged)) {
      if (chunkSize > 0) {
        target.client().uploads().pushChunked(to, blob.digest(), in, chunkSize);
      } else {
        target.client().uploads().pushStream(to, blob.digest(), blob.size(), in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy blob " + blob.digest() + " to " + to.name(), e);
    } catch (RuntimeException e) {
      // The source stream's own failure (a digest mismatch) is the real reason, not the aborted
      // upload.
      throw damaged.get() != null ? damaged.get() : e;
    }
    if (damaged.get() != null) {
      throw damaged.get();
    }
    counters.copied.incrementAndGet();
    counters.bytes.addAndGet(Math.max(0, blob.size()));
  }

  /** Remembers a failure of the source stream, which the upload would otherwise hide. */
  private static final class Watched extends FilterInputStream {
    private final AtomicReference<RuntimeException> failure;

    Watched(InputStream in, AtomicReference<RuntimeException> failure) {
      super(in);
      this.failure = failure;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (ImageContentException e) {
        failure.compareAndSet(null, e);
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (ImageContentException e) {
        failure.compareAndSet(null, e);
        throw e;
      }
    }
  }

  /** What one copy did so far; shared by the threads copying its blobs. */
  static final class Counters {
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger copied = new AtomicInteger();
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicInteger mounted = new AtomicInteger();
    final AtomicInteger manifests = new AtomicInteger();

    CopyStats stats(String digest) {
      return new CopyStats(
          digest, bytes.get(), copied.get(), skipped.get(), mounted.get(), manifests.get(), false);
    }
  }
}
