package dev.berth.core.support;

import java.util.List;

/**
 * Input that Berth refuses, with one entry per offending field. The API answers 400 with the list,
 * so a user can fix every field at once.
 */
public class ValidationException extends BerthException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return "invalid input";
    }
    FieldError first = errors.getFirst();
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return first.field() + ": " + first.message() + more;
  }

  /**
   * One invalid field: its JSON path (e.g. {@code resources.memoryMiB}) and what to do about it.
   */
  public record FieldError(String field, String message) {}
}
