package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logs with time against a real Berth server and real runc containers: every line stored with its
 * time and stream, {@code since}, {@code tail}, {@code timestamps} and {@code streams} on an
 * instance's log, and the whole app's log merged by time with each instance's name, read and
 * followed.
 */
class AppLogsIT {
  static final Duration READY = Duration.ofSeconds(60);
  static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
  static LocalBerth fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(112, "hello from a log test", Map.of());
    berth = fixture.berth;
    // stdout and stderr are stamped by separate readers, so two lines written in the same instant
    // on both may be stored in either order: the workload waits a second between them.
    String talker =
        """
        {"name":"talker","image":"%s","instances":2,
         "command":["sh","-c","echo hello from $HOSTNAME; sleep 1; echo trouble at $HOSTNAME >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"]}
        """
            .formatted(fixture.image);
    assertThat(berth.call("POST", "/api/v1/apps", talker).statusCode()).isEqualTo(201);
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              assertThat(text("/api/v1/apps/talker/instances/talker-0/logs")).contains("tick 2");
              assertThat(text("/api/v1/apps/talker/instances/talker-1/logs")).contains("tick 2");
            });
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String text(String path) {
    HttpResponse<String> r = berth.call("GET", path, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void anInstanceLogShowsTimeAndStreamWhenAskedAndHonoursSinceAndTail() {
    List<String> plain = text("/api/v1/apps/talker/instances/talker-0/logs").lines().toList();
    assertThat(plain.getFirst()).isEqualTo("hello from talker-0");

    List<String> stamped =
        text("/api/v1/apps/talker/instances/talker-0/logs?timestamps=true&streams=true")
            .lines()
            .toList();
    assertThat(stamped).allSatisfy(l -> assertThat(l).matches(TIME + " (stdout|stderr) .*"));
    assertThat(stamped)
        .anySatisfy(l -> assertThat(l).matches(TIME + " stderr trouble at talker-0"));
    assertThat(stamped).anySatisfy(l -> assertThat(l).matches(TIME + " stdout tick 1"));
    Instant first = Instant.parse(stamped.getFirst().substring(0, stamped.getFirst().indexOf(' ')));
    assertThat(first).isBetween(Instant.now().minusSeconds(120), Instant.now());

    // since: an RFC 3339 time after the first lines leaves them out; a duration counts back from
    // now
    Instant afterStart = Instant.parse(stamped.get(3).substring(0, stamped.get(3).indexOf(' ')));
    List<String> since =
        text("/api/v1/apps/talker/instances/talker-0/logs?since=" + afterStart).lines().toList();
    assertThat(since).doesNotContain("hello from talker-0").isNotEmpty();
    assertThat(text("/api/v1/apps/talker/instances/talker-0/logs?since=10m"))
        .contains("hello from talker-0");
    assertThat(
            text(
                "/api/v1/apps/talker/instances/talker-0/logs?since="
                    + Instant.now().plusSeconds(3600)))
        .isEmpty();

    // tail after since
    assertThat(text("/api/v1/apps/talker/instances/talker-0/logs?since=10m&tail=1").lines())
        .singleElement()
        .asString()
        .startsWith("tick ");

    HttpResponse<String> bad =
        berth.call("GET", "/api/v1/apps/talker/instances/talker-0/logs?since=yesterday", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = BerthServer.json(bad.body());
    assertThat(problem.toString()).contains("since", "RFC 3339", "5m");
  }

  @Test
  void theAppLogMergesEveryInstanceByTimeWithItsName() {
    List<String> lines = text("/api/v1/apps/talker/logs?timestamps=true").lines().toList();
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("talker-0 " + TIME + " hello from talker-0"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("talker-1 " + TIME + " hello from talker-1"));
    List<Instant> times = new ArrayList<>();
    for (String l : lines) {
      assertThat(l).matches("talker-[01] " + TIME + " .*");
      times.add(Instant.parse(l.split(" ")[1]));
    }
    assertThat(times).isSorted();
    assertThat(text("/api/v1/apps/talker/logs?tail=3").lines())
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).matches("talker-[01] tick \\d+"));
    assertThat(berth.call("GET", "/api/v1/apps/nosuchapp/logs", null).statusCode()).isEqualTo(404);
  }

  @Test
  void followingTheAppLogShowsNewLinesOfEveryInstance() throws Exception {
    HttpRequest follow =
        HttpRequest.newBuilder(berth.uri("/api/v1/apps/talker/logs?tail=0&follow=true"))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .build();
    HttpResponse<InputStream> stream =
        berth.http().send(follow, HttpResponse.BodyHandlers.ofInputStream());
    List<String> seen = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      while (!(seen.stream().anyMatch(l -> l.startsWith("talker-0 tick"))
          && seen.stream().anyMatch(l -> l.startsWith("talker-1 tick")))) {
        seen.add(r.readLine());
      }
    }
    assertThat(seen).allSatisfy(l -> assertThat(l).matches("talker-[01] tick \\d+"));
  }
}
