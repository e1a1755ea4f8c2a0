package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.runtime.RuntimeFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
  @TempDir Path dir;

  @Test
  void allocatesLowestFreeAddressesAfterTheGateway() {
    Ipam ipam = new Ipam(dir.resolve("ipam.json"), Subnet.parse("10.9.0.0/24"));
    assertThat(ipam.allocate("web-0")).isEqualTo("10.9.0.2");
    assertThat(ipam.allocate("web-1")).isEqualTo("10.9.0.3");
    assertThat(ipam.allocate("web-0")).isEqualTo("10.9.0.2");
  }

  @Test
  void keepsAddressesAcrossRestartsAndReusesReleasedOnes() {
    Path file = dir.resolve("ipam.json");
    Ipam first = new Ipam(file, Subnet.parse("10.9.0.0/24"));
    first.allocate("web-0");
    first.allocate("web-1");
    first.allocate("api-0");
    first.release("web-1");
    Ipam second = new Ipam(file, Subnet.parse("10.9.0.0/24"));
    assertThat(second.lookup("web-0")).contains("10.9.0.2");
    assertThat(second.lookup("api-0")).contains("10.9.0.4");
    assertThat(second.lookup("web-1")).isEmpty();
    assertThat(second.allocate("db-0")).isEqualTo("10.9.0.3");
    assertThat(dir.resolve("ipam.json.tmp")).doesNotExist();
  }

  @Test
  void dropsStoredAddressesOutsideANewSubnet() {
    Path file = dir.resolve("ipam.json");
    new Ipam(file, Subnet.parse("10.9.0.0/24")).allocate("web-0");
    assertThat(new Ipam(file, Subnet.parse("10.8.0.0/24")).lookup("web-0")).isEmpty();
  }

  @Test
  void failsWhenTheSubnetIsFull() {
    Ipam ipam = new Ipam(dir.resolve("ipam.json"), Subnet.parse("10.9.0.0/30"));
    assertThat(ipam.allocate("a-0")).isEqualTo("10.9.0.2");
    assertThatThrownBy(() -> ipam.allocate("a-1")).isInstanceOf(RuntimeFailure.class).hasMessageContaining("no free address");
  }

  @Test
  void subnetArithmetic() {
    Subnet s = Subnet.parse("10.88.3.7/16");
    assertThat(s.toString()).isEqualTo("10.88.0.0/16");
    assertThat(s.gateway()).isEqualTo("10.88.0.1");
    assertThat(s.host(0)).isEqualTo("10.88.0.2");
    assertThat(s.host(300)).isEqualTo("10.88.1.46");
    assertThat(s.contains("10.88.255.254")).isTrue();
    assertThat(s.contains("10.89.0.1")).isFalse();
    assertThatThrownBy(() -> Subnet.parse("10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
  }
}
