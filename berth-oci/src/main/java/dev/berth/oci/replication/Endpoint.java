package dev.berth.oci.replication;

import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.RegistryClient;

/**
 * One side of a copy: an image reference (tag or digest) and the client, with that registry's
 * credentials, to reach it.
 */
public record Endpoint(RegistryClient client, ImageReference ref) {
  public Endpoint {
    if (client == null || ref == null) {
      throw new IllegalArgumentException("client and ref must not be null");
    }
  }

  /** Whether both sides are the same registry (so blobs can be mounted instead of copied). */
  public boolean sameRegistry(Endpoint other) {
    return ref.apiHost().equalsIgnoreCase(other.ref.apiHost());
  }

  @Override
  public String toString() {
    return ref.toString();
  }
}
