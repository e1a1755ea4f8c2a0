package dev.berth.server.traffic;

import dev.berth.core.traffic.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client following an app's endpoints as server-sent events: an {@code endpoints} event with
 * the whole current list at once and after every change (id: the app's version), a comment as
 * heartbeat while nothing changes. Runs on its own virtual thread until the client goes.
 */
final class EndpointStream {
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** What each event carries. */
  record Snapshot(String app, long version, List<EndpointJson> items) {}

  private EndpointStream() {}

  /** Starts streaming; the caller has checked that the client may read the app. */
  static SseEmitter open(Discovery discovery, String app, boolean all) {
    SseEmitter emitter = new SseEmitter(0L);
    BlockingQueue<String> changes = new LinkedBlockingQueue<>();
    AutoCloseable watch =
        discovery.watch(
            changed -> {
              if (changed.equals(app) && changes.isEmpty()) {
                changes.offer(changed);
              }
            });
    Runnable stop = () -> close(watch);
    emitter.onCompletion(stop);
    emitter.onTimeout(stop);
    emitter.onError(e -> stop.run());
    Thread.ofVirtual()
        .name("endpoints-" + app)
        .start(() -> pump(emitter, discovery, app, all, changes, watch));
    return emitter;
  }

  private static void pump(
      SseEmitter emitter,
      Discovery discovery,
      String app,
      boolean all,
      BlockingQueue<String> changes,
      AutoCloseable watch) {
    long sent = -1;
    try {
      while (true) {
        long version = discovery.version(app);
        if (version != sent) {
          List<Endpoint> endpoints = all ? discovery.of(app) : discovery.serving(app);
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(version))
                  .name("endpoints")
                  .data(
                      new Snapshot(app, version, endpoints.stream().map(EndpointJson::of).toList()),
                      MediaType.APPLICATION_JSON));
          sent = version;
        }
        if (changes.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS) == null) {
          emitter.send(SseEmitter.event().comment("heartbeat"));
        }
      }
    } catch (IOException | IllegalStateException e) {
      close(watch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(watch);
    }
  }

  private static void close(AutoCloseable watch) {
    try {
      watch.close();
    } catch (Exception e) {
      // removing a watcher cannot fail
    }
  }
}
