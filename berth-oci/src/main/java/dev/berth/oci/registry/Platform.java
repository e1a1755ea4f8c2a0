package dev.berth.oci.registry;

/**
 * An OCI platform: {@code os}, {@code architecture} and optional {@code variant} (empty if none).
 */
public record Platform(String os, String architecture, String variant) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

  public Platform {
    os = os == null ? "" : os;
    architecture = architecture == null ? "" : architecture;
    variant = variant == null ? "" : variant;
  }

  /** Same OS and architecture; the variant counts only when this platform names one. */
  public boolean matches(Platform other) {
    return other != null
        && os.equals(other.os)
        && architecture.equals(other.architecture)
        && (variant.isEmpty() || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
