package dev.berth.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;

/**
 * The one shape of every list the API answers: {@code items}, {@code next} (the value to send as
 * {@code cursor} for the following page; null on the last page and for lists that come whole) and
 * {@code total} where counting is cheap (absent otherwise).
 */
public record ListJson<T>(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<T> items,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            nullable = true,
            description = "send as cursor for the next page; null on the last")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        String next,
    @Schema(description = "how many there are in all, where cheap to count") Long total) {

  /** A list that comes whole: no next page, the total is its size. */
  public static <T> ListJson<T> of(List<T> items) {
    return new ListJson<>(items, null, (long) items.size());
  }

  /**
   * A page of a numbered listing: the cursor of the next page is its number, while there is one.
   */
  public static <S, T> ListJson<T> of(Page<S> page, Function<S, T> view) {
    return of(page, view, Long.MAX_VALUE);
  }

  /**
   * A page of a numbered listing whose count stops at {@code countCap}: from there on the total is
   * not given, and a full page always has a next one.
   */
  public static <S, T> ListJson<T> of(Page<S> page, Function<S, T> view, long countCap) {
    boolean capped = page.total() >= countCap;
    boolean more =
        capped
            ? page.items().size() == page.size()
            : (long) (page.page() + 1) * page.size() < page.total();
    return new ListJson<>(
        page.items().stream().map(view).toList(),
        more ? Integer.toString(page.page() + 1) : null,
        capped ? null : page.total());
  }

  /**
   * The page number a cursor of a numbered listing names: the {@code cursor} when given (the {@code
   * next} of a previous answer), else {@code page}.
   */
  public static int page(String cursor, int page) {
    if (cursor == null || cursor.isBlank()) {
      return page;
    }
    try {
      int n = Integer.parseInt(cursor.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ValidationException.of(
        "cursor", "must be the 'next' value of a previous answer, was '" + cursor + "'");
  }
}
