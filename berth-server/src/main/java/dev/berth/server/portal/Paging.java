package dev.berth.server.portal;

import dev.berth.core.support.Page;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The pager under a list: "41–60 of 10 000", with links to the previous and next page that keep the
 * list's filters.
 */
public record Paging(long first, long last, long total, String previous, String next) {
  public static Paging of(Page<?> page, String path, Map<String, String> filters) {
    long first = page.items().isEmpty() ? 0 : (long) page.page() * page.size() + 1;
    long last = (long) page.page() * page.size() + page.items().size();
    String previous = page.page() > 0 ? link(path, filters, page.page() - 1) : null;
    String next = last < page.total() ? link(path, filters, page.page() + 1) : null;
    return new Paging(first, last, page.total(), previous, next);
  }

  private static String link(String path, Map<String, String> filters, int page) {
    UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
    filters.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            b.queryParam(k, v);
          }
        });
    return b.queryParam("page", page).encode().build().toUriString();
  }
}
