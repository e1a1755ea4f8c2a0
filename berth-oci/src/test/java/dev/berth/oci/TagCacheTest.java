package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TagCacheTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final InstantSource clock = () -> now.get();

  void advance(Duration d) {
    now.set(now.get().plus(d));
  }

  @Test
  void aTagResolvedWithinTheWindowIsAnsweredFromTheCacheAndAskedForAgainAfterIt() {
    TagCache<String> tags = new TagCache<>(Duration.ofSeconds(10), clock);
    tags.put("r/app:1", "sha256:a");
    advance(Duration.ofMillis(9_999));
    assertThat(tags.get("r/app:1")).contains("sha256:a");
    advance(Duration.ofMillis(1));
    assertThat(tags.get("r/app:1")).isEmpty();
    assertThat(tags.get("r/app:2")).isEmpty();
  }

  @Test
  void aNewResolutionRestartsTheWindow() {
    TagCache<String> tags = new TagCache<>(Duration.ofSeconds(10), clock);
    tags.put("r/app:1", "sha256:a");
    advance(Duration.ofSeconds(8));
    tags.put("r/app:1", "sha256:b");
    advance(Duration.ofSeconds(8));
    assertThat(tags.get("r/app:1")).contains("sha256:b");
  }

  @Test
  void aZeroWindowKeepsNothing() {
    TagCache<String> tags = new TagCache<>(Duration.ZERO, clock);
    tags.put("r/app:1", "sha256:a");
    assertThat(tags.get("r/app:1")).isEmpty();
  }

  @Test
  void staysBoundedDroppingStaleEntriesFirst() {
    TagCache<String> tags = new TagCache<>(Duration.ofSeconds(10), clock);
    for (int i = 0; i < TagCache.MAX_ENTRIES - 1; i++) {
      tags.put("old:" + i, "x");
    }
    advance(Duration.ofSeconds(11));
    tags.put("fresh:1", "y");
    tags.put("fresh:2", "z");
    assertThat(tags.get("fresh:1")).contains("y");
    assertThat(tags.get("fresh:2")).contains("z");
    assertThat(tags.get("old:0")).isEmpty();
  }
}
