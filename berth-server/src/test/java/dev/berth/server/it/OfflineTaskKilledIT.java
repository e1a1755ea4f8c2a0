package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline tasks through the API of a real Berth: bad windows, zones and thresholds are refused
 * naming the field; a run that waits for its window is listed with its reason, survives a kill -9
 * of Berth, and starts (not before) when its window opens; a waiting run can be cancelled.
 */
class OfflineTaskKilledIT {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "offline");
    Path data = Files.createTempDirectory("berth-it-offline");
    Path log = Path.of("target", "berth-offline-it.log").toAbsolutePath();
    berth = new BerthProcess(data, "berthit200", "10.203.200.0/24", "berth-it200", log).start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        for (String task : List.of("nightly", "later")) {
          try {
            berth.call("DELETE", "/api/v1/tasks/" + task, null);
          } catch (java.io.IOException notRunning) {
            // Berth is down after a failed assertion; Cleanup below removes what is left
          }
        }
        berth.close();
        Cleanup.local(berth.dataDir(), "berthit200", "berth-it200");
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  static String task(String name, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"command\":[\"sh\",\"-c\",\"echo ran offline\"]"
        + extra
        + "}";
  }

  static List<String> refusedFields(String extra) throws Exception {
    HttpResponse<String> r = berth.call("POST", "/api/v1/tasks", task("refused", extra));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    List<String> fields = new ArrayList<>();
    BerthServer.json(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  static List<String> eventReasons(String object) throws Exception {
    List<String> reasons = new ArrayList<>();
    berth
        .get("/api/v1/events?object=" + object + "&limit=100")
        .path("items")
        .forEach(e -> reasons.add(e.path("reason").asText()));
    return reasons;
  }

  @Test
  void badWindowsZonesAndThresholdsAreRefusedNamingTheFieldAndNothingIsCreated() throws Exception {
    assertThat(refusedFields(",\"window\":\"1am-6am\"")).containsExactly("window");
    assertThat(refusedFields(",\"window\":\"02:00-02:00\"")).containsExactly("window");
    assertThat(refusedFields(",\"window\":\"01:00-06:00\",\"windowTimeZone\":\"Mars/Olympus\""))
        .containsExactly("windowTimeZone");
    assertThat(refusedFields(",\"idle\":0")).containsExactly("idle");
    assertThat(refusedFields(",\"idle\":101")).containsExactly("idle");
    assertThat(refusedFields(",\"placement\":\"offline\",\"mode\":\"sync\",\"idle\":50"))
        .containsExactly("mode");
    assertThat(berth.call("GET", "/api/v1/tasks/refused", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aWaitingRunIsListedWithItsReasonAndCanBeCancelled() throws Exception {
    Instant now = Instant.now();
    String window =
        now.plus(Duration.ofHours(6)).atZone(SHANGHAI).format(HH_MM)
            + "-"
            + now.plus(Duration.ofHours(7)).atZone(SHANGHAI).format(HH_MM);
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "later",
                ",\"placement\":\"offline\",\"window\":\""
                    + window
                    + "\",\"windowTimeZone\":\"Asia/Shanghai\""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    JsonNode task = BerthServer.json(created.body());
    assertThat(task.path("placement").asText()).isEqualTo("offline");
    assertThat(task.path("windowTimeZone").asText()).isEqualTo("Asia/Shanghai");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode waiting = berth.get("/api/v1/runs?state=waiting&task=later").path("items");
              assertThat(waiting).hasSize(1);
              assertThat(waiting.get(0).path("message").asText())
                  .startsWith("waiting for window " + window + " Asia/Shanghai, opens at ");
            });
    HttpResponse<String> cancelled = berth.call("POST", "/api/v1/runs/later-1/cancel", null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    assertThat(berth.get("/api/v1/runs/later-1").path("state").asText()).isEqualTo("cancelled");
    assertThat(eventReasons("later-1")).contains("Waiting", "Cancelled");
  }

  @Test
  void aRunWaitingForItsWindowSurvivesAKillMinus9AndStartsWhenTheWindowOpens() throws Exception {
    // The window opens at the first whole minute at least 15 s away: time to kill and restart
    // (a restart takes about 6 s).
    Instant opens =
        Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    String window =
        opens.atZone(SHANGHAI).format(HH_MM)
            + "-"
            + opens.plus(Duration.ofMinutes(30)).atZone(SHANGHAI).format(HH_MM);
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "nightly",
                ",\"placement\":\"offline\",\"window\":\""
                    + window
                    + "\",\"windowTimeZone\":\"Asia/Shanghai\""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> berth.get("/api/v1/runs/nightly-1").path("state").asText().equals("waiting"));
    assertThat(berth.get("/api/v1/runs/nightly-1").path("message").asText())
        .isEqualTo(
            "waiting for window "
                + window
                + " Asia/Shanghai, opens at "
                + opens.atZone(SHANGHAI).toOffsetDateTime());

    berth.kill();
    berth.start();

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode run = berth.get("/api/v1/runs/nightly-1");
              assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("succeeded");
            });
    JsonNode run = berth.get("/api/v1/runs/nightly-1");
    assertThat(Instant.parse(run.path("startedAt").asText())).isAfterOrEqualTo(opens);
    assertThat(berth.call("GET", "/api/v1/runs/nightly-1/logs", null).body())
        .contains("ran offline");
    assertThat(eventReasons("nightly-1")).contains("Waiting", "StartedAfterWaiting");
  }
}
