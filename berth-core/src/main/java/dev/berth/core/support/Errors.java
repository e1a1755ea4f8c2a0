package dev.berth.core.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors while a request is checked, then throws them all at once. */
public final class Errors {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private final List<ValidationException.FieldError> errors = new ArrayList<>();

  public Errors add(String field, String message) {
    errors.add(new ValidationException.FieldError(field, message));
    return this;
  }

  public Errors check(boolean ok, String field, String message) {
    if (!ok) {
      add(field, message);
    }
    return this;
  }

  /** A DNS-1123 label of at most {@code max} characters, so that names map 1:1 onto Kubernetes. */
  public Errors dnsLabel(String value, String field, int max) {
    if (value == null || value.isEmpty()) {
      return add(field, "is required");
    }
    if (value.length() > max) {
      return add(field, "must be at most " + max + " characters, was " + value.length());
    }
    if (!DNS_LABEL.matcher(value).matches()) {
      return add(
          field,
          "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a"
              + " letter or digit (e.g. 'web-api')");
    }
    return this;
  }

  /** The errors collected so far, in the order they were found. */
  public List<ValidationException.FieldError> list() {
    return List.copyOf(errors);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
