package dev.berth.server.security.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExternalNamesTest {
  @Test
  void makesProviderNamesDnsLabels() {
    assertThat(ExternalNames.of("alice")).contains("alice");
    assertThat(ExternalNames.of("Alice.Smith@Example.org")).contains("alice-smith-example-org");
    assertThat(ExternalNames.of("José Müller")).contains("jose-muller");
    assertThat(ExternalNames.of("--a__b--")).contains("a-b");
  }

  @Test
  void cutsLongNamesWithAHashSoThatTheyStayApart() {
    String a = "x".repeat(70) + "@a.example";
    String b = "x".repeat(70) + "@b.example";

    assertThat(ExternalNames.of(a))
        .hasValueSatisfying(n -> assertThat(n).hasSize(63).matches("x{54}-[0-9a-f]{8}"));
    assertThat(ExternalNames.of(a)).isNotEqualTo(ExternalNames.of(b));
  }

  @Test
  void refusesNamesWithNothingUsableAndTheLocalAdministrator() {
    assertThat(ExternalNames.of(null)).isEmpty();
    assertThat(ExternalNames.of("@@@")).isEmpty();
    assertThat(ExternalNames.of("Admin")).isEmpty();
  }
}
