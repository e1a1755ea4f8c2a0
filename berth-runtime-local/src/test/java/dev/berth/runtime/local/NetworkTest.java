package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkTest {
  @Test
  void derivesALocallyAdministeredMacFromTheIpSoAReusedIpKeepsItsMac() {
    assertThat(Network.macOf("10.88.0.2")).isEqualTo("02:42:0a:58:00:02");
    assertThat(Network.macOf("10.203.1.255")).isEqualTo("02:42:0a:cb:01:ff");
  }
}
