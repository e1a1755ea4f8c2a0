package dev.berth.core.support;

import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;

/** Checks shared by the services: paging parameters and whether an image can be had. */
public final class Requests {
  private Requests() {}

  /** A page number from 0 and a page size from 1 to 500. */
  public static void checkPaging(int page, int size) {
    Errors errors = new Errors();
    errors.check(page >= 0, "page", "must be >= 0, was " + page);
    errors.check(size >= 1 && size <= 500, "size", "must be between 1 and 500, was " + size);
    errors.throwIfAny();
  }

  /**
   * Resolves {@code image} on the cluster so that a bad reference is refused before anything is
   * created; every failure becomes a {@link ValidationException} naming the field {@code image}.
   */
  public static void checkImage(ClusterRuntime runtime, String image) {
    try {
      runtime.resolveImage(image);
    } catch (ImageNotFoundException e) {
      throw ValidationException.of("image", e.getMessage());
    } catch (RegistryUnavailableException e) {
      throw ValidationException.of(
          "image",
          "cannot check the image: "
              + e.getMessage()
              + "; check the registry address or try again when it is up");
    } catch (IllegalArgumentException | BerthException e) {
      // A malformed reference, rejected credentials or broken image content: the user must fix it.
      throw ValidationException.of("image", e.getMessage());
    }
  }
}
