package dev.berth.oci.registry;

/**
 * The registry refused to store content: {@code 507 Insufficient Storage} (its storage is full) or
 * {@code 413 Payload Too Large} (a body limit in front of it). Retrying at once does not help; an
 * operator has to make room or raise the limit.
 */
public class RegistryStorageException extends RegistryException {
  public RegistryStorageException(String message) {
    super(message);
  }
}
