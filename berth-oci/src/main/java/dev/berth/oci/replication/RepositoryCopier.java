package dev.berth.oci.replication;

import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.Descriptor;
import dev.berth.oci.registry.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Copies many images of one source repository into one target repository as one plan, instead of
 * image by image: every distinct child manifest and blob is checked (HEAD) and copied once for all
 * the images, all of them in parallel (at most {@code width} requests at a time, shared by all plans), and each image's
 * manifest is pushed as soon as everything it names is in the target. The order that keeps a tag
 * from naming missing content holds per image: blobs, then index children, then the manifest.
 *
 * <p>A blob that fails fails only the images that need it; each image gets its own result. Blobs
 * copied count for the first image that names them; the others count them as skipped. Thread-safe
 * (no state of its own besides the {@link ImageCopier}'s uploads in progress).
 */
final class RepositoryCopier {
  private final ImageCopier copier;
  /** Requests of all plans at a time: shared, so plans of many repositories together stay within it. */
  private final Semaphore requests;

  /** One image to copy: its endpoints and its source manifest, already fetched. */
  record Image(Endpoint source, Endpoint target, Manifest top) {}

  /** What the plan did for one image: stats, or the failure that stopped it. */
  record Result(CopyStats stats, RuntimeException failure) {}

  RepositoryCopier(ImageCopier copier, int width) {
    this.copier = copier;
    this.requests = new Semaphore(width);
  }

  /** Runs {@code work} for each item within the shared bound; the failures by item. */
  <T> Map<T, RuntimeException> each(java.util.Collection<T> items, java.util.function.Consumer<T> work) {
    return Parallel.each(items, requests, work);
  }

  /** Copies the images (same source and target repository); one result per image, in order. */
  List<Result> copy(List<Image> images) {
    if (images.isEmpty()) {
      return List.of();
    }
    Endpoint source = images.getFirst().source();
    Endpoint target = images.getFirst().target();

    // Index children the target lacks, each looked up and fetched once.
    Set<String> childDigests = new LinkedHashSet<>();
    images.stream().filter(i -> i.top().isIndex()).forEach(i -> i.top().manifests().forEach(d -> childDigests.add(d.digest())));
    Map<String, Manifest> missingChildren = new ConcurrentHashMap<>();
    Map<String, RuntimeException> childFailures = each(childDigests, digest -> {
      if (target.client().findManifest(target.ref().withDigest(digest)).isEmpty()) {
        missingChildren.put(digest, source.client().getManifest(source.ref().withDigest(digest)));
      }
    });

    // Every distinct blob, owned (for the counts) by the first image that names it.
    List<ImageCopier.Counters> counters = new ArrayList<>();
    List<Set<String>> needs = new ArrayList<>();
    Map<String, Descriptor> blobs = new LinkedHashMap<>();
    Map<String, Integer> owner = new HashMap<>();
    for (int i = 0; i < images.size(); i++) {
      counters.add(new ImageCopier.Counters());
      Set<String> need = new LinkedHashSet<>();
      for (Descriptor d : blobsOf(images.get(i).top(), missingChildren)) {
        need.add(d.digest());
        blobs.putIfAbsent(d.digest(), d);
        owner.putIfAbsent(d.digest(), i);
      }
      needs.add(need);
    }
    Map<Descriptor, RuntimeException> blobFailures = each(blobs.values(),
        blob -> copier.copyBlob(source, target, blob, counters.get(owner.get(blob.digest()))));
    Map<String, RuntimeException> failedBlob = new HashMap<>();
    blobFailures.forEach((d, e) -> failedBlob.put(d.digest(), e));

    // Manifests: children (each pushed once), then the image's own, for every image whose content is complete.
    Map<String, Object> pushedChildren = new ConcurrentHashMap<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      order.add(i);
    }
    Map<Integer, RuntimeException> failures = each(order, i -> {
      Image image = images.get(i);
      for (String digest : needs.get(i)) {
        if (failedBlob.containsKey(digest)) {
          throw failedBlob.get(digest);
        }
      }
      if (image.top().isIndex()) {
        for (Descriptor child : image.top().manifests()) {
          if (childFailures.containsKey(child.digest())) {
            throw childFailures.get(child.digest());
          }
          Manifest m = missingChildren.get(child.digest());
          if (m != null) {
            pushedChildren.computeIfAbsent(child.digest(), d -> {
              if (m.isIndex()) { // an index in an index: rare; its content is copied the image-by-image way
                copier.copyManifestContent(image.source(), image.target(), m, counters.get(i));
              }
              ImageReference at = image.target().ref().withDigest(d);
              image.target().client().putManifest(at, m.mediaType(), m.body());
              counters.get(i).manifests.incrementAndGet();
              return Boolean.TRUE;
            });
          }
        }
      }
      image.target().client().putManifest(image.target().ref(), image.top().mediaType(), image.top().body());
      counters.get(i).manifests.incrementAndGet();
    });

    List<Result> results = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (failures.containsKey(i)) {
        results.add(new Result(null, failures.get(i)));
        continue;
      }
      ImageCopier.Counters c = counters.get(i);
      int own = c.copied.get() + c.mounted.get();
      c.skipped.set(needs.get(i).size() - own);
      results.add(new Result(c.stats(images.get(i).top().digest()), null));
    }
    return results;
  }

  private static List<Descriptor> blobsOf(Manifest top, Map<String, Manifest> missingChildren) {
    if (!top.isIndex()) {
      return top.blobs();
    }
    List<Descriptor> all = new ArrayList<>();
    for (Descriptor child : top.manifests()) {
      Manifest m = missingChildren.get(child.digest());
      if (m != null && !m.isIndex()) {
        all.addAll(m.blobs());
      }
    }
    return all;
  }
}
