package dev.berth.core.app;

import dev.berth.core.support.Errors;
import dev.berth.core.support.ValidationException;

/**
 * The instance count of a scale request, checked once where the request comes in: whoever holds a
 * {@code Scale} holds a count between 0 and {@link AppValidator#MAX_INSTANCES}.
 *
 * @throws ValidationException naming {@code instances} when the count is out of range
 */
public record Scale(int instances) {
  public Scale {
    Errors errors = new Errors();
    AppValidator.validateInstances(instances, errors);
    errors.throwIfAny();
  }

  /**
   * The scale a request asks for; a missing count is refused with a 400 naming {@code instances}.
   */
  public static Scale of(Integer instances) {
    if (instances == null) {
      throw ValidationException.of("instances", "is required, e.g. {\"instances\": 3}");
    }
    return new Scale(instances);
  }
}
