package dev.berth.oci;

import dev.berth.core.support.BerthException;

/**
 * Image content is unusable: a blob whose bytes do not match its digest, a malformed manifest or
 * config, a layer in an unsupported format, or a layer entry that tries to escape the root
 * filesystem. Retrying will not help unless the image changes.
 */
public class ImageContentException extends BerthException {
  public ImageContentException(String message) {
    super(message);
  }

  public ImageContentException(String message, Throwable cause) {
    super(message, cause);
  }
}
