package dev.berth.server.traffic;

import dev.berth.server.web.ListJson;
import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * One long-poll for an app's endpoints: answered at once when the app's version is already past the
 * client's, else at the first change, else (with the unchanged list) when the timeout passes.
 */
final class EndpointPoll {
  private EndpointPoll() {}

  /** Starts the poll; the caller has checked that the client may read the app. */
  static DeferredResult<ResponseEntity<ListJson<EndpointJson>>> open(
      Discovery discovery, String app, boolean all, long version, Duration timeout) {
    DeferredResult<ResponseEntity<ListJson<EndpointJson>>> result =
        new DeferredResult<>(timeout.toMillis());
    AutoCloseable watch =
        discovery.watch(
            changed -> {
              if (changed.equals(app)) {
                result.setResult(TrafficApi.answer(discovery, app, all));
              }
            });
    result.onTimeout(() -> result.setResult(TrafficApi.answer(discovery, app, all)));
    result.onCompletion(
        () -> {
          try {
            watch.close();
          } catch (Exception e) {
            // removing a watcher cannot fail
          }
        });
    if (discovery.version(app) > version) {
      result.setResult(TrafficApi.answer(discovery, app, all));
    }
    return result;
  }
}
