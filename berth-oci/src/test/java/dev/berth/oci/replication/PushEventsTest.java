package dev.berth.oci.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushEventsTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTaggedManifestPushesFromADistributionEnvelopeAndIgnoresBlobsPullsAndDigestOnlyPushes() {
    String body =
        """
        {"events":[
          {"action":"push","timestamp":"2026-03-09T14:44:26.402973972-08:00",
           "target":{"mediaType":"application/octet-stream","digest":"%1$s","repository":"team/web"}},
          {"action":"push","timestamp":"2026-03-09T14:44:26.5-08:00",
           "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%1$s","repository":"team/web"}},
          {"action":"pull","timestamp":"2026-03-09T14:44:27Z",
           "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%1$s","repository":"team/web","tag":"1"}},
          {"action":"push","timestamp":"2026-03-09T14:44:28.25-08:00",
           "target":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%1$s","repository":"team/web","tag":"2.0"}}
        ]}"""
            .formatted(DIGEST);

    assertThat(PushEvents.parse(utf8(body)))
        .containsExactly(
            new PushEvent("team/web", "2.0", DIGEST, Instant.parse("2026-03-09T22:44:28.25Z")));
  }

  @Test
  void readsEveryTaggedResourceOfAHarborPushWebhook() {
    String body =
        """
        {"type":"PUSH_ARTIFACT","occur_at":1767225600,"operator":"admin",
         "event_data":{"resources":[{"digest":"%s","tag":"v1","resource_url":"harbor.example.com/library/nginx:v1"},
                                    {"digest":"sha256:nothex","tag":"v2"}],
                       "repository":{"name":"nginx","namespace":"library","repo_full_name":"library/nginx","repo_type":"private"}}}"""
            .formatted(DIGEST);

    assertThat(PushEvents.parse(utf8(body)))
        .containsExactly(
            new PushEvent("library/nginx", "v1", DIGEST, Instant.ofEpochSecond(1767225600)),
            new PushEvent("library/nginx", "v2", null, Instant.ofEpochSecond(1767225600)));
  }

  @Test
  void harborEventsOtherThanPushesCarryNoWork() {
    assertThat(
            PushEvents.parse(
                utf8(
                    "{\"type\":\"DELETE_ARTIFACT\",\"event_data\":{\"resources\":[{\"tag\":\"v1\"}]}}")))
        .isEmpty();
  }

  @Test
  void refusesBodiesOfNeitherShapeSayingWhatWasExpected() {
    assertThatThrownBy(() -> PushEvents.parse(utf8("{\"hello\":1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'events'")
        .hasMessageContaining("Harbor");
    assertThatThrownBy(() -> PushEvents.parse(utf8("not json"))).hasMessageContaining("not JSON");
  }

  @Test
  void globsMatchWithinASegmentWithOneStarAndAcrossWithTwo() {
    RepositoryGlob team = RepositoryGlob.of("team-a/*");
    assertThat(team.matches("team-a/web")).isTrue();
    assertThat(team.matches("team-a/tools/ci")).isFalse();
    assertThat(team.matches("team-b/web")).isFalse();
    assertThat(RepositoryGlob.of("**").matches("x/y/z")).isTrue();
    assertThat(RepositoryGlob.of("app?").matches("app1")).isTrue();
    assertThat(RepositoryGlob.of("a.b").matches("aXb")).isFalse();
    assertThatThrownBy(() -> RepositoryGlob.of("Team/*")).hasMessageContaining("lower-case");
  }

  @Test
  void backoffDoublesUpToItsCapAndOnlyPassingFaultsAreRetried() {
    RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350));
    assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(350));
    assertThat(
            RetryPolicy.retryable(
                new dev.berth.core.runtime.RegistryUnavailableException("503", null)))
        .isTrue();
    assertThat(RetryPolicy.retryable(new dev.berth.oci.ImageContentException("mismatch"))).isTrue();
    assertThat(
            RetryPolicy.retryable(
                new dev.berth.oci.registry.RegistryAuthenticationException("rejected")))
        .isFalse();
    assertThat(RetryPolicy.retryable(new dev.berth.oci.registry.RegistryStorageException("507")))
        .isFalse();
  }
}
