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
            new Health(new Probe(ProbeType.TCP, null, null, null, 0, 0, 0, 0, 0), new Probe(ProbeType.CMD, null, null, null, 0, 0, 0, 0, 0)),
            null);
    assertThat(fields(spec))
        .contains(
            "image", "env.1BAD", "ports[0].port", "ports[1].port", "ports[1].protocol", "resources.cpuLimit", "resources.memoryMiB",
            "health.liveness.port", "health.readiness.command");
  }

  @Test
  void refusesNamesThatAreNotDnsLabels() {
    for (String bad : new String[] {"Web", "web_1", "-web", "web-", "a/b", "..", "", "x".repeat(51)}) {
      Errors e = new Errors();
      AppValidator.validateName(bad, e);
      assertThatThrownBy(e::throwIfAny).as(bad).isInstanceOf(ValidationException.class).hasMessageStartingWith("name:");
    }
  }

  @Test
  void refusesNegativeInstances() {
    Errors e = new Errors();
    AppValidator.validateInstances(-1, e);
    assertThatThrownBy(e::throwIfAny).hasMessage("instances: must be >= 0, was -1");
  }
}
