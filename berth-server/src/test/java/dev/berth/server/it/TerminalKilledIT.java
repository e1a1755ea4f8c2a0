package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth killed with SIGKILL while a web terminal is open, then started again on the same data: the
 * terminal was stored as open, so the restarted Berth closes it in the audit log ("Berth stopped",
 * with how long it lasted up to Berth's last sign of life) and the log no longer keeps an opening
 * without its end.
 */
class TerminalKilledIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "terminal killed");
    berth = BerthProcess.forClass(246, "terminal-killed").start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean("shell");
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  String state() throws Exception {
    JsonNode items = berth.get("/api/v1/apps/shell/instances").path("items");
    return items.isEmpty() ? "" : items.get(0).path("state").asText();
  }

  List<String> terminalAudit() throws Exception {
    return berth
        .get("/api/v1/audit?size=50&action=instance.exec")
        .path("items")
        .findValuesAsText("detail");
  }

  @Test
  void aTerminalOpenWhenBerthIsKilledIsClosedInTheAuditLogWhenBerthStartsAgain() throws Exception {
    var created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"shell","image":"%s","instances":1,"command":["sleep","3600"]}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await().atMost(WAIT).ignoreExceptions().until(() -> state().equals("running"));

    TerminalClient.Outcome o =
        TerminalClient.connect(
            berth.baseUrl(), "/api/v1/apps/shell/instances/shell-0/terminal", BerthServer.TOKEN);
    assertThat(o.status()).as(o.body()).isEqualTo(101);
    TerminalClient t = o.client();
    t.type("echo up-$((6*7))\n");
    await().atMost(WAIT).until(() -> t.screen().contains("up-42"));
    String session =
        terminalAudit().stream()
            .filter(d -> d.endsWith(" opened"))
            .findFirst()
            .orElseThrow()
            .split(" ")[2];

    berth.kill();
    berth.start();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(terminalAudit())
                    .anySatisfy(
                        d ->
                            assertThat(d)
                                .startsWith("terminal session " + session + " closed after ")
                                .endsWith(": Berth stopped")));
    List<String> details = terminalAudit();
    assertThat(details)
        .filteredOn(d -> d.startsWith("terminal session " + session + " "))
        .hasSize(2);
    assertThat(details)
        .filteredOn(d -> d.startsWith("terminal session " + session + " closed"))
        .singleElement()
        .asString()
        .doesNotContain("unknown");
    assertThat(berth.get("/api/v1/events?size=50").toString())
        .contains("TerminalClosed", session + " closed after");

    // a new terminal opens and closes as before, and a second start closes nothing twice
    TerminalClient.Outcome again =
        TerminalClient.connect(
            berth.baseUrl(), "/api/v1/apps/shell/instances/shell-0/terminal", BerthServer.TOKEN);
    assertThat(again.status()).as(again.body()).isEqualTo(101);
    again.client().type("exit 0\n");
    again.client().closed.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(terminalAudit()).anyMatch(d -> d.endsWith(": the command exited with 0"));
    berth.kill();
    berth.start();
    await().atMost(WAIT).ignoreExceptions().until(() -> state().equals("running"));
    assertThat(terminalAudit()).filteredOn(d -> d.endsWith(": Berth stopped")).hasSize(1);
  }
}
