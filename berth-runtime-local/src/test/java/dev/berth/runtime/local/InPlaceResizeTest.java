package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pure parts of a live resize on this host: the memory rule and what runc update is given. */
class InPlaceResizeTest {
  @Test
  void aMemoryLimitBelowWhatAnInstanceHoldsIsRefusedNamingIt() {
    Map<String, OptionalLong> used =
        Map.of("web-0", OptionalLong.of(40L << 20), "web-1", OptionalLong.of(90L << 20));
    assertThat(InPlaceResize.memoryRefusal(List.of("web-0", "web-1"), 64, used::get))
        .get()
        .asString()
        .contains("web-1 uses 90 MiB", "new memory limit of 64 MiB");
    assertThat(InPlaceResize.memoryRefusal(List.of("web-0", "web-1"), 128, used::get)).isEmpty();
    assertThat(InPlaceResize.memoryRefusal(List.of("gone"), 4, id -> OptionalLong.empty()))
        .as("an instance whose use cannot be read is not judged")
        .isEmpty();
  }

  @Test
  void runcUpdateGetsTheLimitsAndRemovesACpuCapThatIsGone() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode capped =
        json.readTree(BundleSpec.update(new Resources(0.5, 1.5, 96, CpuPolicy.SHARES, 0), null));
    assertThat(capped.has("devices")).isFalse();
    assertThat(capped.at("/cpu/shares").asLong()).isEqualTo(512);
    assertThat(capped.at("/cpu/quota").asLong()).isEqualTo(150_000);
    assertThat(capped.at("/memory/limit").asLong()).isEqualTo(96L << 20);
    JsonNode uncapped =
        json.readTree(BundleSpec.update(new Resources(0.5, 0, 96, CpuPolicy.SHARES, 0), null));
    assertThat(uncapped.at("/cpu/quota").asLong()).isEqualTo(-1);
  }
}
