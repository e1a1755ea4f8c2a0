package dev.berth.oci;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed image reference: {@code [registry[:port]/]repository[:tag][@sha256:hex]}, normalised the
 * way Docker does it ({@code busybox} is {@code docker.io/library/busybox:latest}). Immutable.
 *
 * @param registry the registry as written ({@code docker.io} for Docker Hub), host with optional
 *     port
 * @param repository the repository path, lowercase, e.g. {@code library/busybox}
 * @param tag the tag; {@code latest} when neither tag nor digest was given; {@code null} when only
 *     a digest was given
 * @param digest {@code sha256:<64 hex>} or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  /** The registry name Docker Hub references use. */
  public static final String DOCKER_HUB = "docker.io";

  private static final String DOCKER_HUB_API = "registry-1.docker.io";
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](?::[0-9]{1,5})?");

  public ImageReference {
    if (registry == null || registry.isEmpty()) {
      throw new IllegalArgumentException("registry must not be empty");
    }
    if (repository == null || repository.isEmpty()) {
      throw new IllegalArgumentException("repository must not be empty");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException naming what is wrong: empty, uppercase repository, bad
   *     characters, bad tag or digest
   */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("image reference must not be empty");
    }
    if (!reference.equals(reference.strip())) {
      throw new IllegalArgumentException(
          "image reference must not contain spaces: '" + reference + "'");
    }
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException(
            "digest must be sha256: followed by 64 lowercase hex digits, was '"
                + digest
                + "' in '"
                + reference
                + "'");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException(
            "tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, was '"
                + tag
                + "' in '"
                + reference
                + "'");
      }
    }
    String registry = DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        repository = rest.substring(slash + 1);
        if (!HOST.matcher(registry).matches()) {
          throw new IllegalArgumentException(
              "registry '" + registry + "' is not a valid host[:port] in '" + reference + "'");
        }
      }
    }
    if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API)) {
      registry = DOCKER_HUB;
    }
    if (repository.isEmpty()) {
      throw new IllegalArgumentException("repository must not be empty in '" + reference + "'");
    }
    if (!repository.equals(repository.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          "repository must be lowercase, was '" + repository + "' in '" + reference + "'");
    }
    for (String component : repository.split("/", -1)) {
      if (component.isEmpty()) {
        throw new IllegalArgumentException(
            "repository must not have empty path components in '" + reference + "'");
      }
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "repository component '"
                + component
                + "' has characters other than a-z 0-9 and single separators . _ __ - in '"
                + reference
                + "'");
      }
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (registry.length() + 1 + repository.length() > 255) {
      throw new IllegalArgumentException(
          "name must be at most 255 characters in '" + reference + "'");
    }
    return new ImageReference(registry, repository, tag, digest);
  }

  /** The host[:port] to talk HTTP to: {@code registry-1.docker.io} for Docker Hub. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** The digest if given, else the tag: what goes into {@code /v2/<repo>/manifests/<here>}. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  public Optional<String> digestIfPresent() {
    return Optional.ofNullable(digest);
  }

  /** The same repository pinned to a digest (the tag is dropped). */
  public ImageReference withDigest(String newDigest) {
    return new ImageReference(registry, repository, null, newDigest);
  }

  /** The same repository at another tag (any digest is dropped). */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /** {@code registry/repository}, no tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The canonical form, e.g. {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
