package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutesTest {
  final CoreHarness core = new CoreHarness();

  static AppSpec spec(Route... routes) {
    return new AppSpec(
            "registry.test/web:1",
            List.of("httpd", "-f"),
            null,
            null,
            List.of(new PortSpec("http", 8080, null)),
            null,
            null,
            null)
        .withRoutes(List.of(routes));
  }

  App create(String name, Route... routes) {
    return core.appService.create(new AppRequest(name, null, null, spec(routes), 1, null), "alice");
  }

  @Test
  void storesRoutesWithTheSpecAndLowerCasesHosts() {
    App app = create("shop", new Route("Shop.Example.com", "/", "http"));
    assertThat(core.apps.find("shop").orElseThrow().spec().routes())
        .containsExactly(new Route("shop.example.com", "/", "http"));
    assertThat(app.revision()).isEqualTo(1);
  }

  @Test
  void refusesInvalidHostsPathsAndPortsNamingEachField() {
    assertThatThrownBy(
            () ->
                create(
                    "shop",
                    new Route("shop_example..com", "/", "http"),
                    new Route("", "api", "http"),
                    new Route("", "/a b", "http"),
                    new Route("x.example.com", "/", "grpc")))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(AppServiceTest.fields(e))
                    .containsExactly(
                        "routes[0].host", "routes[1].path", "routes[2].path", "routes[3].port"));
    assertThat(core.apps.find("shop")).isEmpty();
  }

  @Test
  void aHostAndPathClaimedByAnotherAppIsAConflictNamingTheRoute() {
    create("shop", new Route("shop.example.com", "/", "http"));
    assertThatThrownBy(
            () ->
                create(
                    "shop2",
                    new Route("shop.example.com", "/api", "http"),
                    new Route("shop.example.com", "/", "http")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("routes[1] shop.example.com/ is already claimed by app 'shop'");
    assertThat(core.apps.find("shop2")).isEmpty();

    App other = create("shop2", new Route("shop.example.com", "/api", "http"));
    assertThatThrownBy(
            () ->
                core.appService.update(
                    "shop2",
                    new AppRequest(
                        "shop2",
                        null,
                        null,
                        spec(new Route("shop.example.com", "/", "http")),
                        null,
                        other.version()),
                    "alice"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("shop.example.com/");
    assertThat(core.apps.find("shop2").orElseThrow().spec().routes())
        .containsExactly(new Route("shop.example.com", "/api", "http"));
  }

  @Test
  void anAppKeepsItsOwnRoutesOnAChange() {
    App shop = create("shop", new Route("", "/", "http"));
    App changed =
        core.appService.update(
            "shop",
            new AppRequest(
                "shop",
                null,
                null,
                spec(new Route("", "/", "http"), new Route("", "/v2", "http")),
                null,
                shop.version()),
            "alice");
    assertThat(changed.spec().routes()).hasSize(2);
  }
}
