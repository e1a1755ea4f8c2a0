package dev.berth.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the gateway sends nginx, and what it keeps right after Berth started. */
class EndpointTableTest {
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
