package dev.berth.oci.build;

import dev.berth.core.support.BerthException;

/**
 * A build that cannot be completed, with a reason a user can act on: an unreachable registry,
 * rejected credentials, a missing base image, a refused archive entry. The message is the reason.
 */
public class BuildException extends BerthException {
  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
