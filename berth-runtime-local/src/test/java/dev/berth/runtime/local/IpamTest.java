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
  void aScaledDownOrdinalKeepsItsAddressThroughDeletesAndScalingUpAndABerthRestart() {
    Path file = dir.resolve("ipam.json");
    Ipam ipam = new Ipam(file, Subnet.parse("10.9.0.0/24"));
    String web0 = ipam.allocate("web-0");
    ipam.allocate("web-1");
    String web2 = ipam.allocate("web-2");
    ipam.allocate("webapi-0");
    // web-1 deleted without replacement: its address is free again
    ipam.release("web-1");
    // scaled down to one instance: web-2 is gone but nothing is released; Berth restarts
    Ipam restarted = new Ipam(file, Subnet.parse("10.9.0.0/24"));
    // scaled up to three: a new web-1 must not take web-2's address, web-2 gets its own back
    String newWeb1 = restarted.allocate("web-1");
    assertThat(newWeb1).isNotIn(web0, web2);
    assertThat(restarted.allocate("web-2")).isEqualTo(web2);
    assertThat(restarted.allocate("web-0")).isEqualTo(web0);
    assertThat(restarted.reservedFor("web")).containsExactlyInAnyOrder("web-0", "web-1", "web-2");
    assertThat(restarted.reservedFor("webapi")).containsExactly("webapi-0");
  }

  @Test
  void anotherAppNeverGetsAReservedAddress() {
    Ipam ipam = new Ipam(dir.resolve("ipam.json"), Subnet.parse("10.9.0.0/24"));
    String web0 = ipam.allocate("web-0");
    String web1 = ipam.allocate("web-1");
    // web-1 scaled away: its reservation stays, so the next app's instance gets a third address
    assertThat(ipam.allocate("api-0")).isNotIn(web0, web1);
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
    assertThatThrownBy(() -> ipam.allocate("a-1"))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("no free address")
        .hasMessageContaining("scaled-down");
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
