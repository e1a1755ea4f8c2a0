package dev.berth.core.support;

import java.util.List;

/** One page of a listing. {@code page} counts from 0; {@code total} counts all matching items. */
public record Page<T>(List<T> items, int page, int size, long total) {
  public Page {
    items = List.copyOf(items);
  }
}
