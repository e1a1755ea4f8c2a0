package dev.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.oci.blob.BlobStore;
import dev.berth.oci.layer.LayerUnpacker;
import dev.berth.oci.registry.Descriptor;
import dev.berth.oci.registry.Manifest;
import dev.berth.oci.registry.Platform;
import dev.berth.oci.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ImageStore} on local disk. Layout under {@code root}:
 *
 * <ul>
 *   <li>{@code blobs/sha256/<hex>}: configs and layers ({@link BlobStore});
 *   <li>{@code images/<manifest-hex>/rootfs}: the unpacked root filesystem, with {@code /proc /dev
 *       /sys /tmp /etc} present for runc's mounts;
 *   <li>{@code images/<manifest-hex>/image.json}: reference, digest and {@link ImageConfig}.
 * </ul>
 *
 * <p>An image directory is built under a temporary name and renamed into place when complete, so
 * its existence means it is ready. Only linux/amd64 images are prepared; an index or manifest list
 * is resolved to that entry.
 *
 * <p>Thread-safe. Preparing the same manifest digest from several threads pulls and unpacks once (a
 * lock per digest; the others wait and then share the result). Layers are downloaded with up to
 * three in parallel on virtual threads. Throws what {@link RegistryClient} throws, {@link
 * ImageContentException} for unusable content and {@link UncheckedIOException} for local I/O
 * failures.
 */
public final class OciImageStore implements ImageStore {
  private static final Logger log = LoggerFactory.getLogger(OciImageStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARALLEL_DOWNLOADS = 3;
  private static final String TMP_PREFIX = ".tmp-";

  /**
   * The tag freshness window Berth runs with: long enough for the API's check and the runtime's
   * start of one request to share a resolution, short enough that a re-pushed tag is seen within
   * seconds.
   */
  public static final Duration TAG_FRESHNESS = Duration.ofSeconds(10);

  private static final List<String> RUNTIME_DIRS = List.of("proc", "dev", "sys", "tmp", "etc");

  private final Path images;
  private final BlobStore blobs;
  private final RegistryClient client;
  private final PullThrough pullThrough;
  private final LayerUnpacker unpacker = new LayerUnpacker();
  private final Platform platform = Platform.LINUX_AMD64;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final AtomicLong unpacked = new AtomicLong();
  private final TagCache<Located> tags;

  /**
   * Opens (creating when needed) a store under {@code root} and removes half-built images left by a
   * crash. Only one store should use a root at a time.
   */
  private final Path directory;

  @Override
  public java.util.Optional<Path> directory() {
    return java.util.Optional.of(directory);
  }

  public OciImageStore(Path root, RegistryClient client) {
    this(root, client, PullThrough.none());
  }

  /**
   * Like {@link #OciImageStore(Path, RegistryClient)}, and an image its registry lacks is pulled
   * from the first of {@code pullThrough}'s origins that has it (same client, so its credentials
   * must cover the origins).
   */
  public OciImageStore(Path root, RegistryClient client, PullThrough pullThrough) {
    this(root, client, pullThrough, Duration.ZERO, InstantSource.system());
  }

  /**
   * Like {@link #OciImageStore(Path, RegistryClient, PullThrough)}, and a tag resolved less than
   * {@code tagFreshness} ago (by {@code clock}) is not asked for again: the manifest it gave then
   * is used ({@link #TAG_FRESHNESS} is Berth's window, zero turns it off).
   */
  public OciImageStore(
      Path root,
      RegistryClient client,
      PullThrough pullThrough,
      Duration tagFreshness,
      InstantSource clock) {
    this.tags = new TagCache<>(tagFreshness, clock);
    this.pullThrough = pullThrough;
    this.images = root.resolve("images");
    this.directory = root;
    this.blobs = new BlobStore(root);
    this.client = client;
    try {
      Files.createDirectories(images);
      try (var list = Files.list(images)) {
        for (Path p :
            list.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the image store under " + root, e);
    }
    blobs.clearTemp();
  }

  @Override
  public String resolve(String reference) {
    return locate(ImageReference.parse(reference)).manifest().digest();
  }

  @Override
  public PreparedImage prepare(String reference) {
    ImageReference ref = ImageReference.parse(reference);
    if (ref.digest() != null) {
      Optional<PreparedImage> ready = find(ref.digest());
      if (ready.isPresent()) {
        return withReference(ready.get(), reference);
      }
    }
    Located located = locate(ref);
    Manifest manifest = located.manifest();
    ReentrantLock lock = locks.computeIfAbsent(manifest.digest(), d -> new ReentrantLock());
    lock.lock();
    try {
      Optional<PreparedImage> ready = find(manifest.digest());
      if (ready.isPresent()) {
        return withReference(ready.get(), reference);
      }
      PreparedImage built = build(located.from(), reference, manifest);
      if (!located.from().equals(ref)) {
        pullThrough.pulledFromOrigin(ref, located.from());
      }
      return built;
    } finally {
      lock.unlock();
    }
  }

  /** Where an image's manifest came from: its own registry or an origin (pull-through). */
  private record Located(ImageReference from, Manifest manifest) {}

  /**
   * The manifest of {@code ref}: from the tag cache when it was resolved moments ago, else asked
   * for.
   */
  private Located locate(ImageReference ref) {
    if (ref.digest() != null) {
      return ask(ref);
    }
    String key = ref.toString();
    Optional<Located> known = tags.get(key);
    if (known.isPresent()) {
      return known.get();
    }
    Located located = ask(ref);
    tags.put(key, located);
    return located;
  }

  private Located ask(ImageReference ref) {
    try {
      return new Located(ref, client.getImageManifest(ref, platform));
    } catch (ImageNotFoundException missing) {
      List<String> tried = new ArrayList<>();
      for (ImageReference origin : pullThrough.origins(ref)) {
        try {
          Manifest m = client.getImageManifest(origin, platform);
          log.info("{} is missing in {}; pulling it through from {}", ref, ref.registry(), origin);
          return new Located(origin, m);
        } catch (RuntimeException e) {
          tried.add(origin + " (" + e.getMessage() + ")");
        }
      }
      if (tried.isEmpty()) {
        throw missing;
      }
      throw new ImageNotFoundException(
          missing.getMessage() + "; origins tried: " + String.join(", ", tried));
    }
  }

  /** The image already prepared for a manifest digest, without asking any registry. */
  public Optional<PreparedImage> find(String manifestDigest) {
    Path dir = images.resolve(Digests.hex(manifestDigest));
    Path metadata = dir.resolve("image.json");
    if (!Files.isRegularFile(metadata)) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(metadata.toFile());
      ImageConfig config = JSON.treeToValue(json.path("config"), ImageConfig.class);
      return Optional.of(
          new PreparedImage(
              json.path("reference").asText(), manifestDigest, dir.resolve("rootfs"), config));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metadata, e);
    }
  }

  /** How many images this store has unpacked since it was created (for metrics and tests). */
  public long unpackCount() {
    return unpacked.get();
  }

  /** The blob store under this image store. */
  public BlobStore blobs() {
    return blobs;
  }

  private PreparedImage build(ImageReference ref, String reference, Manifest manifest) {
    String hex = Digests.hex(manifest.digest());
    Descriptor configDescriptor = manifest.config();
    List<Descriptor> layers = manifest.layers();
    fetch(ref, configDescriptor.digest());
    JsonNode configJson = readJson(configDescriptor.digest());
    ImageConfig config = imageConfig(configJson);
    fetchAll(ref, layers);

    Path tmp = images.resolve(TMP_PREFIX + hex + "-" + UUID.randomUUID());
    boolean done = false;
    try {
      Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
      Files.setAttribute(rootfs, "unix:mode", 0755);
      List<String> diffIds = new ArrayList<>();
      configJson.path("rootfs").path("diff_ids").forEach(n -> diffIds.add(n.asText()));
      for (int i = 0; i < layers.size(); i++) {
        String layer = layers.get(i).digest();
        String diffId;
        try (InputStream in = blobs.open(layer).orElseThrow()) {
          diffId = unpacker.apply(in, rootfs);
        }
        if (diffIds.size() == layers.size() && !diffIds.get(i).equals(diffId)) {
          throw new ImageContentException(
              "layer "
                  + layer
                  + " of "
                  + ref
                  + " unpacks to "
                  + diffId
                  + ", config says "
                  + diffIds.get(i));
        }
      }
      ensureRuntimeDirs(rootfs);
      ObjectNode metadata = JSON.createObjectNode();
      metadata.put("reference", reference);
      metadata.put("digest", manifest.digest());
      metadata.set("config", JSON.valueToTree(config));
      Files.write(
          tmp.resolve("image.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
      Path dir = images.resolve(hex);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      unpacked.incrementAndGet();
      log.info("prepared {} ({}, {} layers)", reference, manifest.digest(), layers.size());
      return new PreparedImage(reference, manifest.digest(), dir.resolve("rootfs"), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + reference + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          deleteTree(tmp);
        } catch (IOException e) {
          log.warn("cannot remove the half-built image {}: {}", tmp, e.getMessage());
        }
      }
    }
  }

  private void fetchAll(ImageReference ref, List<Descriptor> layers) {
    Semaphore slots = new Semaphore(PARALLEL_DOWNLOADS);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> downloads = new ArrayList<>();
      for (Descriptor layer : layers) {
        downloads.add(
            executor.submit(
                () -> {
                  slots.acquireUninterruptibly();
                  try {
                    fetch(ref, layer.digest());
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (Future<?> download : downloads) {
        try {
          download.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while pulling " + ref, e);
        }
      }
    }
  }

  private void fetch(ImageReference ref, String digest) {
    if (blobs.has(digest)) {
      return;
    }
    try (InputStream in = client.openBlob(ref, digest)) {
      blobs.put(in, digest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pull " + digest + " of " + ref, e);
    }
  }

  private JsonNode readJson(String digest) {
    try (InputStream in = blobs.open(digest).orElseThrow()) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new ImageContentException("image config " + digest + " is not valid JSON", e);
    }
  }

  static ImageConfig imageConfig(JsonNode json) {
    JsonNode c = json.path("config");
    List<String> ports = new ArrayList<>();
    c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    Map<String, String> labels = new LinkedHashMap<>();
    c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ImageConfig(
        strings(c.path("Entrypoint")),
        strings(c.path("Cmd")),
        strings(c.path("Env")),
        c.path("WorkingDir").asText(""),
        c.path("User").asText(""),
        ports,
        labels,
        json.path("created").isMissingNode() ? null : json.path("created").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void ensureRuntimeDirs(Path rootfs) throws IOException {
    for (String name : RUNTIME_DIRS) {
      Path dir = rootfs.resolve(name);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:mode", name.equals("tmp") ? 01777 : 0755);
      }
    }
  }

  private static PreparedImage withReference(PreparedImage image, String reference) {
    return new PreparedImage(reference, image.digest(), image.rootfs(), image.config());
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (var list = Files.list(p)) {
        for (Path child : list.toList()) {
          deleteTree(child);
        }
      }
    }
    Files.delete(p);
  }
}
