package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads an object of the API again every 200 ms until it is where the caller waits for it (for what
 * has no event of its own: a run's end, a drain's progress).
 */
final class Polling {
  private static final long TICK_MILLIS = 200;
  private static final int MAX_TICKS = 5 * 60 * 60 * 24; // a day

  private Polling() {}

  static JsonNode until(Api api, String path, Predicate<JsonNode> done, Consumer<JsonNode> seen) {
    JsonNode r = api.get(path);
    seen.accept(r);
    for (int i = 0; i < MAX_TICKS && !done.test(r); i++) {
      r =
          CompletableFuture.supplyAsync(
                  () -> api.get(path),
                  CompletableFuture.delayedExecutor(TICK_MILLIS, TimeUnit.MILLISECONDS))
              .join();
      seen.accept(r);
    }
    return r;
  }
}
