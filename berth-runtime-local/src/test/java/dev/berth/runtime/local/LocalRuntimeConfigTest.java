package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRuntimeConfigTest {
  final Path data = Path.of("/var/lib/berth/local");

  @Test
  void builderFillsEveryUnsetSettingWithItsDefault() {
    LocalRuntimeConfig c = LocalRuntimeConfig.builder("local", data).build();
    assertThat(c.runc()).isEqualTo("runc");
    assertThat(c.runcRoot()).isEqualTo(data.resolve("runc"));
    assertThat(c.bridge()).isEqualTo("berth0");
    assertThat(c.subnet()).isEqualTo("10.88.0.0/16");
    assertThat(c.cgroupParent()).isEqualTo("berth");
    assertThat(c.logMaxBytes()).isEqualTo(10L << 20);
    assertThat(c.backoffMax()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aWitherChangesItsSettingAndKeepsTheOthers() {
    LocalRuntimeConfig c =
        LocalRuntimeConfig.builder("local", data)
            .runc("/usr/bin/runc")
            .network("br-test", "10.9.0.0/24")
            .build();
    LocalRuntimeConfig changed = c.withCgroupParent("/berth-test/");
    assertThat(changed.cgroupParent()).isEqualTo("berth-test");
    assertThat(changed.runc()).isEqualTo("/usr/bin/runc");
    assertThat(changed.bridge()).isEqualTo("br-test");
    assertThat(changed.subnet()).isEqualTo("10.9.0.0/24");
  }

  @Test
  void refusesABridgeNameLongerThanTheKernelAllows() {
    assertThatThrownBy(
            () ->
                LocalRuntimeConfig.builder("local", data)
                    .network("a-very-long-bridge", null)
                    .build())
        .hasMessageContaining("bridge name must be at most 15 characters");
  }
}
