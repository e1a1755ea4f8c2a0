package dev.berth.oci.build;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Builds a {@link BuildSpec} into an OCI image with jib-core and pushes it: no Docker daemon, no
 * Dockerfile. The base is pinned to its digest first (so the build record says exactly what it was
 * built on), the layer groups are staged low to high, and the image gets a fixed creation time and
 * fixed file times: the same spec, uploads and base digest give the same image digest.
 *
 * <p>Registries: loopback ones and those listed as insecure are reached over plain HTTP (jib's
 * switch is per build, so it is on when any registry of the build is one of them; jib still tries
 * HTTPS first and never sends credentials over plain HTTP). Credentials come from {@link
 * Credentials} per registry host. jib's layer caches live under the configured cache directory,
 * never in the user's home.
 *
 * <p>Thread-safe: builds may run concurrently (each with its own work directory). Every failure is
 * a {@link BuildException} whose message is the reason to show the user.
 */
public final class ImageBuilder implements AutoCloseable {
  /** The image's {@code created} time: the Unix epoch, so that it never changes a digest. */
  public static final Instant CREATED = Instant.EPOCH;

  /**
   * How the builder reaches registries and where it keeps its caches.
   *
   * @param cacheDir jib's base and application layer caches go under this directory
   * @param insecureRegistries registry hosts (host or host:port) reached over plain HTTP besides
   *     loopback
   * @param credentials credentials per registry host, for the base and the target
   * @param maxUnpackedBytes the most bytes all archives of one build may unpack to
   */
  public record Settings(
      Path cacheDir,
      Collection<String> insecureRegistries,
      Credentials credentials,
      long maxUnpackedBytes) {
    public Settings {
      insecureRegistries = List.copyOf(insecureRegistries);
    }
  }

  private final Settings settings;
  private final RegistryClient registry;
  private final LayerStager stager;

  public ImageBuilder(Settings settings) {
    this.settings = settings;
    this.registry =
        RegistryClient.builder()
            .credentials(settings.credentials())
            .insecureRegistries(settings.insecureRegistries())
            .build();
    this.stager = new LayerStager(settings.maxUnpackedBytes());
  }

  /**
   * Builds and pushes the image. {@code base} is the resolved base: {@code scratch}, or an image
   * reference (a tag is pinned to its current digest here); the spec's own {@code base}/{@code
   * template} fields are not read.
   *
   * @param uploads the uploaded parts by name, as files on disk
   * @param workDir an empty directory for staged files; the caller removes it afterwards
   * @param log receives the build's progress lines, on any thread
   * @throws BuildException with the reason the build failed
   * @throws dev.berth.core.support.ValidationException the spec is invalid
   */
  public BuiltImage build(
      BuildSpec spec, String base, Map<String, Path> uploads, Path workDir, Consumer<String> log) {
    spec.validate(uploads.keySet());
    String pinnedBase = pin(base, log);
    JibContainerBuilder jib = plan(spec, pinnedBase, uploads, workDir, log);
    ImageReference target = ImageReference.parse(spec.image());
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    try {
      Containerizer containerizer =
          Containerizer.to(registryImage(target))
              .setBaseImageLayersCache(settings.cacheDir().resolve("base"))
              .setApplicationLayersCache(settings.cacheDir().resolve("app"))
              .setAllowInsecureRegistries(
                  plainHttp(target)
                      || !pinnedBase.equals(BuildSpec.SCRATCH)
                          && plainHttp(ImageReference.parse(pinnedBase)))
              .setExecutorService(executor)
              .setToolName("berth")
              .addEventHandler(LogEvent.class, e -> logEvent(e, log));
      log.accept("pushing " + target);
      JibContainer pushed = jib.containerize(containerizer);
      String digest = pushed.getDigest().toString();
      log.accept("pushed " + target + "@" + digest);
      return new BuiltImage(
          target.toString(),
          digest,
          pushed.getImageId().toString(),
          pinnedBase,
          spec.allLayers().stream().map(LayerSpec::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("the build was interrupted (Berth is stopping)", e);
    } catch (ExecutionException e) {
      throw JibFailures.reason(e.getCause() == null ? e : e.getCause(), target);
    } catch (Exception e) {
      throw JibFailures.reason(e, target);
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Stages the layers and configures jib for the spec on {@code pinnedBase} ({@code scratch} or a
   * reference), without pushing: the caller chooses where to containerize (tests use a tar).
   */
  JibContainerBuilder plan(
      BuildSpec spec,
      String pinnedBase,
      Map<String, Path> uploads,
      Path workDir,
      Consumer<String> log) {
    List<FileEntriesLayer> layers;
    try {
      layers = stager.stage(spec.allLayers(), uploads, workDir, log);
    } catch (IOException e) {
      throw new BuildException("cannot stage the build's files: " + e.getMessage(), e);
    }
    JibContainerBuilder jib =
        pinnedBase.equals(BuildSpec.SCRATCH)
            ? Jib.fromScratch()
            : Jib.from(registryImage(ImageReference.parse(pinnedBase)));
    jib.setFormat(ImageFormat.OCI).setCreationTime(CREATED).setFileEntriesLayers(layers);
    Map<String, String> labels = new TreeMap<>(spec.labels());
    if (!pinnedBase.equals(BuildSpec.SCRATCH)) {
      ImageReference ref = ImageReference.parse(pinnedBase);
      labels.putIfAbsent("org.opencontainers.image.base.name", ref.name());
      labels.putIfAbsent("org.opencontainers.image.base.digest", ref.digest());
    }
    jib.setLabels(labels);
    spec.env().forEach(jib::addEnvironmentVariable);
    if (spec.workdir() != null) {
      jib.setWorkingDirectory(AbsoluteUnixPath.get(spec.workdir()));
    }
    if (spec.entrypoint() != null) {
      jib.setEntrypoint(spec.entrypoint());
    }
    if (spec.cmd() != null) {
      jib.setProgramArguments(spec.cmd());
    }
    if (spec.user() != null) {
      jib.setUser(spec.user());
    }
    Set<Port> ports = new LinkedHashSet<>();
    spec.ports().stream()
        .sorted()
        .forEach(
            p -> {
              String[] parts = p.split("/");
              ports.add(
                  Port.parseProtocol(
                      Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "tcp"));
            });
    if (!ports.isEmpty()) {
      jib.setExposedPorts(ports);
    }
    return jib;
  }

  /** The base pinned to its digest: {@code scratch} stays, a tag is resolved in its registry. */
  private String pin(String base, Consumer<String> log) {
    if (base.equals(BuildSpec.SCRATCH)) {
      log.accept("base: scratch (no base image)");
      return base;
    }
    ImageReference ref = ImageReference.parse(base);
    if (ref.digest() != null) {
      log.accept("base: " + ref);
      return ref.toString();
    }
    try {
      String digest = registry.headManifest(ref);
      log.accept("base: " + ref + " is " + digest);
      return ref.withDigest(digest).toString();
    } catch (RuntimeException e) {
      throw new BuildException("cannot resolve the base image " + ref + ": " + e.getMessage(), e);
    }
  }

  private boolean plainHttp(ImageReference ref) {
    return registry.isPlainHttp(ref.apiHost());
  }

  private RegistryImage registryImage(ImageReference ref) {
    try {
      CredentialRetriever retriever =
          () ->
              settings
                  .credentials()
                  .lookup(ref.registry())
                  .map(up -> Credential.from(up.username(), up.password()));
      return RegistryImage.named(ref.toString()).addCredentialRetriever(retriever);
    } catch (InvalidImageReferenceException e) {
      throw new BuildException(
          "jib does not accept the reference " + ref + ": " + e.getMessage(), e);
    }
  }

  private static void logEvent(LogEvent e, Consumer<String> log) {
    switch (e.getLevel()) {
      case ERROR -> log.accept("error: " + e.getMessage());
      case WARN -> log.accept("warning: " + e.getMessage());
      case LIFECYCLE, INFO -> log.accept(e.getMessage());
      default -> {}
    }
  }

  /** The settings this builder was made with. */
  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    registry.close();
  }
}
