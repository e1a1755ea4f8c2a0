package dev.berth.server.portal;

import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * All the errors of a form at once. A form first reads its text (numbers, lists, the command line);
 * what it could not read are its own errors. The rest is still checked by the API's rules, so that
 * the first submit shows every problem, not only the ones the form found before the API had its
 * say.
 */
public final class FormErrors {
  private FormErrors() {}

  /**
   * A form read into the request it asks for, with what could not be read (those fields are left
   * empty).
   */
  public record Parsed<R>(R request, List<FieldError> errors) {
    public Parsed {
      errors = List.copyOf(errors);
    }

    /** The request, or every reading error at once. */
    public R orThrow() {
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return request;
    }
  }

  /**
   * The form's reading errors, then the API's errors for the fields the form could read: an API
   * error on a field the form could not read is about the placeholder, not the input, and is left
   * out.
   *
   * @param formField which form field shows an API field's error ("" for none)
   */
  public static List<FieldError> merge(
      List<FieldError> typed, List<FieldError> checked, UnaryOperator<String> formField) {
    Set<String> unread = new HashSet<>();
    typed.forEach(e -> unread.add(formField.apply(e.field())));
    unread.remove("");
    List<FieldError> all = new ArrayList<>(typed);
    checked.stream().filter(e -> !unread.contains(formField.apply(e.field()))).forEach(all::add);
    return all;
  }

  /**
   * The messages by the form field that shows them; errors of fields the form does not show go
   * under "" with their API field named, for the summary above the form.
   */
  public static Map<String, List<String>> byField(
      List<FieldError> errors, UnaryOperator<String> formField) {
    Map<String, List<String>> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      String field = formField.apply(e.field());
      byField
          .computeIfAbsent(field, k -> new ArrayList<>())
          .add(field.isEmpty() ? e.field() + ": " + e.message() : e.message());
    }
    return byField;
  }
}
