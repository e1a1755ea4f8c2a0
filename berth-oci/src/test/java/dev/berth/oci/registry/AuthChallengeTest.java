package dev.berth.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parsesBearerChallengeWithCommasInsideQuotedScope() {
    AuthChallenge c =
        AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:library/busybox:pull,push\"")
            .orElseThrow();

    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
    assertThat(c.param("service")).isEqualTo("registry.docker.io");
    assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull,push");
  }

  @Test
  void parsesBasicChallengeAndUnquotedValues() {
    AuthChallenge c = AuthChallenge.parse("Basic realm=registry, charset=\"UTF-8\"").orElseThrow();

    assertThat(c.scheme()).isEqualTo("basic");
    assertThat(c.param("realm")).isEqualTo("registry");
    assertThat(c.param("charset")).isEqualTo("UTF-8");
    assertThat(c.param("missing")).isEmpty();
  }

  @Test
  void emptyHeaderIsNoChallenge() {
    assertThat(AuthChallenge.parse("")).isEmpty();
    assertThat(AuthChallenge.parse(null)).isEmpty();
  }
}
