package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "null",
      value = {
        "busybox,                         docker.io,          library/busybox,   latest, null,   registry-1.docker.io",
        "busybox:1.36,                    docker.io,          library/busybox,   1.36,   null,   registry-1.docker.io",
        "bitnami/nginx,                   docker.io,          bitnami/nginx,     latest, null,   registry-1.docker.io",
        "docker.io/busybox,               docker.io,          library/busybox,   latest, null,   registry-1.docker.io",
        "index.docker.io/library/redis:7, docker.io,          library/redis,     7,      null,   registry-1.docker.io",
        "127.0.0.1:5000/demo/busybox:1,   127.0.0.1:5000,     demo/busybox,      1,      null,   127.0.0.1:5000",
        "localhost/app,                   localhost,          app,               latest, null,   localhost",
        "localhost:5000/app:v2,           localhost:5000,     app,               v2,     null,   localhost:5000",
        "ghcr.io/org/team/app:1.0-rc_1,   ghcr.io,            org/team/app,      1.0-rc_1, null, ghcr.io",
        "harbor.example.com/a.b/c__d-e,   harbor.example.com, a.b/c__d-e,        latest, null,   harbor.example.com",
        "registry:5000/app,               registry:5000,      app,               latest, null,   registry:5000",
        "app:Tag_1,                       docker.io,          library/app,       Tag_1,  null,   registry-1.docker.io",
      })
  void parsesAndNormalisesReferences(
      String input, String registry, String repository, String tag, String digest, String apiHost) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.digest()).isEqualTo(digest);
    assertThat(ref.apiHost()).isEqualTo(apiHost);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "busybox@"
        + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, , docker.io/library/busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "127.0.0.1:5000/a/b:1@"
        + "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 1, 127.0.0.1:5000/a/b:1@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  })
  void keepsDigestsAndPrefersThemForManifests(String input, String tag, String canonical) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.digest()).isEqualTo(DIGEST);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    assertThat(ref).hasToString(canonical);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                              | must not be empty",
        "'   '                           | must not be empty",
        "' busybox'                      | spaces",
        "Busybox                         | must be lowercase",
        "127.0.0.1:5000/Demo/app         | must be lowercase",
        "demo/app!                       | has characters other than",
        "demo//app                       | empty path components",
        "demo/-app                       | has characters other than",
        "demo/app:                       | tag must match",
        "demo/app:-bad                   | tag must match",
        "demo/app@sha256:abc             | digest must be sha256",
        "demo/app@md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | digest must be sha256",
        "127.0.0.1:5000/                 | repository must not be empty",
        "bad_host.example.com/app        | not a valid host",
      })
  void refusesMalformedReferencesNamingWhatIsWrong(String input, String message) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void canonicalFormRoundTrips() {
    ImageReference ref = ImageReference.parse("busybox");

    assertThat(ref).hasToString("docker.io/library/busybox:latest");
    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    assertThat(ref.withDigest(DIGEST)).hasToString("docker.io/library/busybox@" + DIGEST);
  }
}
