package dev.berth.server.image;

import dev.berth.core.support.ValidationException;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.ImageDetail;
import dev.berth.oci.registry.ImageInspector;
import dev.berth.oci.registry.RegistryClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Browsing registries: repositories page by page, the tags of a repository with digest, size and
 * creation time (newest first), the newest tag, and a manifest's detail. Details are cached by
 * manifest digest (content under a digest never changes), so listing tags again asks the registry
 * only which digest each tag names. Thread-safe.
 */
public class ImageBrowser {
  /** The most tags of one repository inspected for one listing. */
  public static final int MAX_TAGS = 1000;

  private static final int MAX_SCANNED_PAGES = 50;
  private static final int PARALLEL = 8;
  private static final int CACHE = 5000;

  /** A page of repository names and the cursor for the next page (null at the end). */
  public record RepositoryPage(String registry, List<String> items, String next) {}

  /** A tag with what it names. */
  public record TagView(
      String tag, String digest, String mediaType, Instant created, long size, int platforms) {}

  /**
   * The tags of a repository, newest first; {@code truncated} when it has more than {@link
   * #MAX_TAGS}.
   */
  public record TagList(
      String registry, String repository, List<TagView> tags, String newest, boolean truncated) {}

  private final RegistryDirectory registries;
  private final Map<String, ImageDetail> details =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ImageDetail> eldest) {
              return size() > CACHE;
            }
          });

  public ImageBrowser(RegistryDirectory registries) {
    this.registries = registries;
  }

  /**
   * Repositories of a registry after {@code last}, at most {@code size}; with {@code q}, only names
   * containing it (scanning at most {@value #MAX_SCANNED_PAGES} catalog pages per call).
   */
  public RepositoryPage repositories(String registry, String q, String last, int size) {
    int n = Math.max(1, Math.min(size, 1000));
    RegistryClient client = registries.client(registry);
    String host = registries.host(registry);
    if (q == null || q.isBlank()) {
      RegistryClient.Page p = client.catalogPage(host, n, blankToNull(last));
      return new RepositoryPage(registry, p.items(), p.next());
    }
    String needle = q.strip().toLowerCase(java.util.Locale.ROOT);
    List<String> found = new ArrayList<>();
    String cursor = blankToNull(last);
    for (int i = 0; i < MAX_SCANNED_PAGES; i++) {
      RegistryClient.Page p = client.catalogPage(host, Math.max(n, 100), cursor);
      for (String name : p.items()) {
        if (name.contains(needle)) {
          found.add(name);
          if (found.size() == n) {
            return new RepositoryPage(registry, found, name);
          }
        }
      }
      if (p.next() == null || p.items().isEmpty()) {
        return new RepositoryPage(registry, found, null);
      }
      cursor = p.next();
    }
    return new RepositoryPage(registry, found, cursor);
  }

  /** Every tag of a repository (up to {@link #MAX_TAGS}) with its detail, newest first. */
  public TagList tags(String registry, String repository) {
    ImageReference repo = reference(registry, repository, "latest");
    RegistryClient client = registries.client(registry);
    List<String> names = client.tags(repo, 1000);
    boolean truncated = names.size() > MAX_TAGS;
    List<String> inspected =
        truncated ? names.subList(names.size() - MAX_TAGS, names.size()) : names;
    List<TagView> views = inspectAll(client, repo, inspected);
    views.sort(
        Comparator.comparing(TagView::created, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(TagView::tag));
    String newest =
        views.isEmpty() || views.getFirst().created() == null ? null : views.getFirst().tag();
    return new TagList(registry, repository, views, newest, truncated);
  }

  /** The detail of a tag or digest. */
  public ImageDetail detail(String registry, String repository, String reference) {
    ImageReference ref =
        reference.startsWith("sha256:")
            ? reference(registry, repository, "latest").withDigest(reference)
            : reference(registry, repository, reference);
    RegistryClient client = registries.client(registry);
    String digest = client.headManifest(ref);
    return details.computeIfAbsent(
        digest, d -> new ImageInspector(client).describe(ref.withDigest(d)));
  }

  private List<TagView> inspectAll(RegistryClient client, ImageReference repo, List<String> tags) {
    Semaphore slots = new Semaphore(PARALLEL);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<TagView>> futures = new ArrayList<>();
      for (String tag : tags) {
        futures.add(
            executor.submit(
                () -> {
                  slots.acquireUninterruptibly();
                  try {
                    ImageReference ref = repo.withTag(tag);
                    String digest = client.headManifest(ref);
                    ImageDetail d =
                        details.computeIfAbsent(
                            digest, x -> new ImageInspector(client).describe(ref.withDigest(x)));
                    return new TagView(
                        tag, d.digest(), d.mediaType(), d.created(), d.size(), d.images().size());
                  } finally {
                    slots.release();
                  }
                }));
      }
      List<TagView> out = new ArrayList<>();
      for (Future<TagView> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof dev.berth.core.runtime.ImageNotFoundException) {
            continue; // the tag went away while we listed
          }
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while listing tags of " + repo.name(), e);
        }
      }
      return out;
    }
  }

  private ImageReference reference(String registry, String repository, String tag) {
    try {
      return ImageReference.parse(
          registries.host(registry)
              + "/"
              + repository
              + (tag.startsWith("sha256:") ? "@" : ":")
              + tag);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("repository", e.getMessage());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
