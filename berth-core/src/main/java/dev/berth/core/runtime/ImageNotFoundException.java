package dev.berth.core.runtime;

import dev.berth.core.support.BerthException;

/** The image reference names a repository or tag the registry does not have. */
public class ImageNotFoundException extends BerthException {
  public ImageNotFoundException(String message) {
    super(message);
  }
}
