package dev.berth.runtime.local;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.time.Scheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the readiness and liveness probes of one container generation. Ticks come from the injected
 * {@link Scheduler}; each check runs on a virtual thread, never two of the same probe at once.
 * Stopped for good by {@link #stop()}.
 */
final class Prober {
  /** Starts the probes of one container generation; the returned handle stops them for good. */
  @FunctionalInterface
  interface Factory {
    /** For containers without probes (and unit tests). */
    Factory NONE = (gen, ip, spec, id, ready, sink) -> () -> {};

    /**
     * @param ready the container's readiness so far (true for an adopted container that was ready):
     *     a ready one becomes unready only after the probe's failure threshold
     */
    Runnable start(long gen, String ip, AppSpec spec, String containerId, boolean ready, Sink sink);

    /**
     * Real probes: TCP and HTTP from this host, commands by {@code runc exec}, ticks from {@code
     * scheduler}.
     */
    static Factory real(Runc runc, HttpClient http, Scheduler scheduler) {
      return (gen, ip, spec, id, ready, sink) -> {
        Prober p = new Prober(gen, ip, spec, id, runc, http, sink);
        p.start(scheduler, ready);
        return p::stop;
      };
    }
  }

  /** Where probe outcomes go. */
  interface Sink {
    void ready(long gen, boolean ready, String why);

    void unhealthy(long gen, String why);
  }

  private final long gen;
  private final String ip;
  private final AppSpec spec;
  private final String containerId;
  private final Runc runc;
  private final HttpClient http;
  private final Sink sink;
  private final List<Scheduler.Cancellable> ticks = new ArrayList<>();
  private volatile boolean stopped;

  Prober(
      long gen,
      String ip,
      AppSpec spec,
      String containerId,
      Runc runc,
      HttpClient http,
      Sink sink) {
    this.gen = gen;
    this.ip = ip;
    this.spec = spec;
    this.containerId = containerId;
    this.runc = runc;
    this.http = http;
    this.sink = sink;
  }

  /** Starts ticking; {@code ready} is the readiness the container starts with. */
  synchronized void start(Scheduler scheduler, boolean ready) {
    Probe readiness = spec.health().readiness();
    Probe liveness = spec.health().liveness();
    if (readiness != null) {
      schedule(scheduler, readiness, new Counter(readiness, true, ready ? Boolean.TRUE : null));
    }
    if (liveness != null) {
      schedule(scheduler, liveness, new Counter(liveness, false, null));
    }
  }

  private void schedule(Scheduler scheduler, Probe probe, Counter counter) {
    AtomicBoolean inFlight = new AtomicBoolean();
    Runnable tick =
        () -> {
          if (stopped || !inFlight.compareAndSet(false, true)) {
            return;
          }
          Thread.ofVirtual()
              .name("berth-probe-" + containerId)
              .start(
                  () -> {
                    try {
                      String failure = check(probe);
                      if (!stopped) {
                        counter.record(failure);
                      }
                    } finally {
                      inFlight.set(false);
                    }
                  });
        };
    ticks.add(
        scheduler.scheduleWithFixedDelay(
            Duration.ofSeconds(probe.initialDelaySeconds()),
            Duration.ofSeconds(Math.max(1, probe.periodSeconds())),
            tick));
  }

  synchronized void stop() {
    stopped = true;
    ticks.forEach(Scheduler.Cancellable::cancel);
    ticks.clear();
  }

  /** Null when healthy, else why not. */
  String check(Probe probe) {
    Duration timeout = Duration.ofSeconds(probe.timeoutSeconds());
    try {
      return switch (probe.type()) {
        case TCP -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port(probe)), (int) timeout.toMillis());
            yield null;
          }
        }
        case HTTP -> {
          String path = probe.path().startsWith("/") ? probe.path() : "/" + probe.path();
          HttpRequest req =
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port(probe) + path))
                  .timeout(timeout)
                  .GET()
                  .build();
          int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          yield code >= 200 && code < 400 ? null : "HTTP probe failed with status " + code;
        }
        case CMD -> {
          var r = runc.exec(containerId, probe.command(), timeout);
          yield r.timedOut()
              ? "command probe timed out after " + timeout.toSeconds() + "s"
              : r.exitCode() == 0
                  ? null
                  : "command probe exited with " + r.exitCode() + ": " + r.output().strip();
        }
      };
    } catch (IOException | RuntimeException e) {
      return probe.type()
          + " probe failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "probe interrupted";
    }
  }

  private int port(Probe probe) {
    if (probe.port() != null && probe.port() > 0) {
      return probe.port();
    }
    if (!spec.ports().isEmpty()) {
      return spec.ports().get(0).port();
    }
    throw new IllegalArgumentException("probe has no port and the spec declares none");
  }

  /** Consecutive outcomes of one probe; decides transitions by the thresholds. */
  private final class Counter {
    private final Probe probe;
    private final boolean readiness;
    private int successes;
    private int failures;
    private Boolean state;

    Counter(Probe probe, boolean readiness, Boolean state) {
      this.probe = probe;
      this.readiness = readiness;
      this.state = state;
    }

    synchronized void record(String failure) {
      if (failure == null) {
        failures = 0;
        successes++;
        if (readiness && successes >= probe.successThreshold() && !Boolean.TRUE.equals(state)) {
          state = true;
          sink.ready(gen, true, "readiness probe succeeded");
        }
      } else {
        successes = 0;
        failures++;
        if (failures >= probe.failureThreshold()) {
          if (readiness && !Boolean.FALSE.equals(state)) {
            boolean wasReady = Boolean.TRUE.equals(state);
            state = false;
            sink.ready(gen, false, wasReady ? "Readiness probe failed: " + failure : null);
          } else if (!readiness) {
            stopped = true;
            sink.unhealthy(gen, "Liveness probe failed " + failures + " times: " + failure);
          }
        }
      }
    }
  }
}
