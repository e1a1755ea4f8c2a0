package dev.berth.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the gateway sends nginx, and what it keeps right after Berth started. */
class EndpointTableTest {
  @Test
  void eachUpstreamListsTheReadyInstancesWithTheirWeights() {
    Endpoint web0 = endpoint("web-0", "10.0.0.2", 30, EndpointState.READY);
    Endpoint web1 = endpoint("web-1", "10.0.0.3", 0, EndpointState.READY);
    Endpoint web2 = endpoint("web-2", "10.0.0.4", 100, EndpointState.OFFLINE);

    Map<String, String> table =
        EndpointTable.of(Map.of("web.http", "web/http"), app -> List.of(web1, web2, web0));

    assertThat(table)
        .containsExactly(Map.entry("web.http", "web-0 10.0.0.2:8080 30,web-1 10.0.0.3:8080 0"));
  }

  static Endpoint endpoint(String instance, String ip, int weight, EndpointState state) {
    return new Endpoint(
        "web",
        "default",
        instance,
        Integer.parseInt(instance.substring(4)),
        ip,
        Map.of("http", 8080),
        "local",
        1,
        weight,
        state);
  }

  @Test
  void anUpstreamNginxServesIsNotEmptiedWhileBerthStartsButMayShrinkAndGrow() {
    Map<String, String> actual =
        Map.of(
            "web.http", "web-0 10.0.0.2:8080,web-1 10.0.0.3:8080",
            "shop.http", "shop-0 10.0.0.4:8080");
    Map<String, String> desired =
        Map.of(
            "web.http", "",
            "shop.http", "shop-1 10.0.0.5:8080",
            "new.http", "new-0 10.0.0.6:8080");

    Map<String, String> kept = EndpointTable.keepServing(desired, actual);

    assertThat(kept)
        .containsEntry("web.http", "web-0 10.0.0.2:8080,web-1 10.0.0.3:8080")
        .containsEntry("shop.http", "shop-1 10.0.0.5:8080")
        .containsEntry("new.http", "new-0 10.0.0.6:8080");
    assertThat(EndpointTable.diff(kept, actual)).doesNotContain("web.http");
    assertThat(EndpointTable.diff(desired, actual)).contains("web.http=\n");
  }
}
