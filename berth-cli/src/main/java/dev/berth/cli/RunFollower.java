package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Follows one task run: prints its log as it is written and answers the run once it has ended. A
 * run's log stays open after its container ends, so the follower watches the run's state, closes
 * the log when the run is final, and prints whatever lines the log holds beyond those already
 * printed — every line exactly once.
 */
final class RunFollower {
  private final Api api;
  private final Io io;
  private final String run;

  RunFollower(Api api, Io io, String run) {
    this.api = api;
    this.io = io;
    this.run = run;
  }

  JsonNode follow() {
    JsonNode started = await(r -> !List.of("queued", "starting").contains(state(r)));
    AtomicInteger printed = new AtomicInteger();
    AtomicReference<InputStream> open = new AtomicReference<>();
    Thread follower = null;
    if (!TaskRun.isFinal(state(started))) {
      follower = Thread.ofVirtual().start(() -> copyLines(open, printed));
    }
    JsonNode ended = await(r -> TaskRun.isFinal(state(r)));
    if (follower != null) {
      closeQuietly(open.getAndSet(InputStream.nullInputStream()));
      try {
        follower.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    printRest(printed.get());
    return ended;
  }

  private void copyLines(AtomicReference<InputStream> open, AtomicInteger printed) {
    try {
      InputStream in = api.stream(logs() + "?follow=true");
      if (!open.compareAndSet(null, in)) {
        closeQuietly(in);
        return;
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        io.out().println(line);
        io.out().flush();
        printed.incrementAndGet();
      }
    } catch (IOException | UncheckedIOException | CliException e) {
      // closed once the run ended, or no log yet: the rest is printed from the whole log
    }
  }

  private void printRest(int printed) {
    List<String> all;
    try (InputStream in = api.stream(logs())) {
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException | CliException e) {
      return; // a run that never started has no log
    }
    all.stream().skip(printed).forEach(io.out()::println);
    io.out().flush();
  }

  private JsonNode await(Predicate<JsonNode> done) {
    return Polling.until(api, "/api/v1/runs/" + seg(run), done, r -> {});
  }

  private String logs() {
    return "/api/v1/runs/" + seg(run) + "/logs";
  }

  private static String state(JsonNode run) {
    return run.path("state").asText();
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      // already broken off
    }
  }
}
