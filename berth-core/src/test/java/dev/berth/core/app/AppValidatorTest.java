package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.Errors;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppValidatorTest {
  static List<String> fields(AppSpec spec) {
    Errors e = new Errors();
    AppValidator.validateSpec(spec, e);
    try {
      e.throwIfAny();
      return List.of();
    } catch (ValidationException v) {
      return v.errors().stream().map(FieldError::field).toList();
    }
  }

  @Test
  void acceptsTheDesignExample() {
    AppSpec spec =
        new AppSpec(
            "127.0.0.1:5000/demo/busybox:1",
            List.of("httpd", "-f", "-p", "8080", "-h", "/www"),
            null,
            Map.of("MODE", "demo"),
            List.of(new PortSpec("http", 8080, null)),
            new Resources(0.5, 1, 128, CpuPolicy.SHARES, 0),
            new Health(null, new Probe(ProbeType.HTTP, 8080, "/", null, 0, 0, 0, 0, 0)),
            null);
    assertThat(fields(spec)).isEmpty();
  }

  @Test
  void namesEveryBadFieldAtOnce() {
    AppSpec spec =
        new AppSpec(
            "",
            null,
            null,
            Map.of("1BAD", "x"),
            List.of(new PortSpec("http", 0, null), new PortSpec("x", 70000, "sctp")),
            new Resources(2, 1, 2, CpuPolicy.SHARES, 0),
            new Health(
                new Probe(ProbeType.TCP, null, null, null, 0, 0, 0, 0, 0),
                new Probe(ProbeType.CMD, null, null, null, 0, 0, 0, 0, 0)),
            null);
    assertThat(fields(spec))
        .contains(
            "image",
            "env.1BAD",
            "ports[0].port",
            "ports[1].port",
            "ports[1].protocol",
            "resources.cpuLimit",
            "resources.memoryMiB",
            "health.liveness.port",
            "health.readiness.command");
  }

  @Test
  void refusesNamesThatAreNotDnsLabels() {
    for (String bad :
        new String[] {"Web", "web_1", "-web", "web-", "a/b", "..", "", "x".repeat(51)}) {
      Errors e = new Errors();
      AppValidator.validateName(bad, e);
      assertThatThrownBy(e::throwIfAny)
          .as(bad)
          .isInstanceOf(ValidationException.class)
          .hasMessageStartingWith("name:");
    }
  }

  @Test
  void refusesNegativeInstances() {
    Errors e = new Errors();
    AppValidator.validateInstances(-1, e);
    assertThatThrownBy(e::throwIfAny).hasMessage("instances: must be >= 0, was -1");
  }

  private static AppSpec withPorts(PortSpec... ports) {
    return new AppSpec("img", null, null, null, List.of(ports), null, null, null);
  }

  private static AppSpec withHealth(Probe liveness, Probe readiness) {
    return new AppSpec(
        "img",
        null,
        null,
        null,
        List.of(new PortSpec("http", 8080, null)),
        null,
        new Health(liveness, readiness),
        null);
  }

  private static AppSpec withSecurity(Security security) {
    return new AppSpec("img", null, null, null, null, null, null, null, null, security);
  }

  private static AppSpec withScheduling(Map<String, String> nodeLabels) {
    return new AppSpec(
        "img",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new Scheduling(null, nodeLabels, null, null, null));
  }

  private static List<String> nameErrors(String name) {
    Errors e = new Errors();
    AppValidator.validateName(name, e);
    try {
      e.throwIfAny();
      return List.of();
    } catch (ValidationException v) {
      return v.errors().stream().map(FieldError::message).toList();
    }
  }

  @Test
  void refusesAppNamesThatAKubernetesServiceCouldNotCarry() {
    assertThat(nameErrors("web-1")).isEmpty();
    assertThat(nameErrors("w")).isEmpty();
    assertThat(nameErrors("a".repeat(50))).isEmpty();
    assertThat(nameErrors("1web"))
        .singleElement()
        .asString()
        .contains("must start with a letter")
        .contains("DNS-1035");
    assertThat(nameErrors("0")).isNotEmpty();
  }

  @Test
  void requiresANameOnEveryPortWhenThereAreSeveral() {
    assertThat(fields(withPorts(new PortSpec(null, 8080, null)))).isEmpty();
    assertThat(
            fields(
                withPorts(new PortSpec("http", 8080, null), new PortSpec("metrics", 9090, null))))
        .isEmpty();
    assertThat(fields(withPorts(new PortSpec("http", 8080, null), new PortSpec(null, 9090, null))))
        .containsExactly("ports[1].name");
    assertThat(fields(withPorts(new PortSpec(null, 8080, null), new PortSpec("", 9090, "udp"))))
        .containsExactly("ports[0].name", "ports[1].name");
  }

  @Test
  void refusesPortNamesThatAreNotIanaServiceNames() {
    for (String good : new String[] {"http", "metrics-2", "1-a", "a".repeat(15)}) {
      assertThat(fields(withPorts(new PortSpec(good, 8080, null)))).as(good).isEmpty();
    }
    for (String bad :
        new String[] {
          "8080", "two--hyphens", "a".repeat(16), "-x", "x-", "Http", "http_alt", "whois++"
        }) {
      assertThat(fields(withPorts(new PortSpec(bad, 8080, null))))
          .as(bad)
          .contains("ports[0].name");
    }
  }

  @Test
  void refusesALivenessCheckThatWantsSeveralSuccesses() {
    Probe threeTimes = new Probe(ProbeType.TCP, 8080, null, null, 0, 0, 0, 0, 3);
    assertThat(fields(withHealth(null, threeTimes))).isEmpty();
    assertThat(fields(withHealth(threeTimes, null)))
        .containsExactly("health.liveness.successThreshold");
    assertThat(fields(withHealth(new Probe(ProbeType.TCP, 8080, null, null, 0, 0, 0, 0, 1), null)))
        .isEmpty();
  }

  @Test
  void refusesCpuFinerThanOneMillicore() {
    assertThat(
            fields(
                new AppSpec(
                    "img",
                    null,
                    null,
                    null,
                    null,
                    new Resources(0.001, 0.25, 0, null, 0),
                    null,
                    null)))
        .isEmpty();
    assertThat(
            fields(
                new AppSpec(
                    "img",
                    null,
                    null,
                    null,
                    null,
                    new Resources(0.0005, 0, 0, null, 0),
                    null,
                    null)))
        .containsExactly("resources.cpu");
    assertThat(
            fields(
                new AppSpec(
                    "img",
                    null,
                    null,
                    null,
                    null,
                    new Resources(0.1, 0.1234, 0, null, 0),
                    null,
                    null)))
        .containsExactly("resources.cpuLimit");
  }

  @Test
  void refusesNodeLabelsKubernetesCouldNotSelectOn() {
    assertThat(
            fields(
                withScheduling(
                    Map.of(
                        "disk",
                        "ssd",
                        "example.com/Disk_Type",
                        "",
                        "a".repeat(63),
                        "b".repeat(63)))))
        .isEmpty();
    assertThat(fields(withScheduling(Map.of("Example.com/disk", "ssd"))))
        .containsExactly("scheduling.nodeLabels.Example.com/disk");
    assertThat(fields(withScheduling(Map.of("example.com/" + "d".repeat(64), "ssd")))).hasSize(1);
    assertThat(fields(withScheduling(Map.of("disk", "x".repeat(64)))))
        .containsExactly("scheduling.nodeLabels.disk");
    assertThat(fields(withScheduling(Map.of("disk", "-ssd"))))
        .containsExactly("scheduling.nodeLabels.disk");
  }

  @Test
  void theRestrictedProfileRefusesToRunAsRoot() {
    assertThat(fields(withSecurity(new Security(Security.Profile.RESTRICTED, null)))).isEmpty();
    assertThat(fields(withSecurity(new Security(Security.Profile.RESTRICTED, 1000L)))).isEmpty();
    assertThat(fields(withSecurity(new Security(Security.Profile.BASELINE, 0L)))).isEmpty();
    assertThat(fields(withSecurity(new Security(Security.Profile.RESTRICTED, 0L))))
        .containsExactly("security.runAsUser");
    assertThat(fields(withSecurity(new Security(null, -1L)))).containsExactly("security.runAsUser");
    assertThat(fields(withSecurity(new Security(null, 1L << 31))))
        .containsExactly("security.runAsUser");
  }

  @Test
  void refusesAnEnvironmentTooLargeForOneKubernetesObject() {
    assertThat(
            fields(
                new AppSpec(
                    "img", null, null, Map.of("BIG", "x".repeat(1000)), null, null, null, null)))
        .isEmpty();
    assertThat(
            fields(
                new AppSpec(
                    "img",
                    null,
                    null,
                    Map.of("BIG", "x".repeat(1024 * 1024)),
                    null,
                    null,
                    null,
                    null)))
        .containsExactly("env");
  }
}
