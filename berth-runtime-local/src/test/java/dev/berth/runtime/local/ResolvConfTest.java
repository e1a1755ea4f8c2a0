package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResolvConfTest {
  static final String HOST =
      "# from the host\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n";

  @Test
  void containersAskTheBridgeOnlyAndKeepTheHostsSearchAndOptions() {
    assertThat(ResolvConf.of(HOST, "10.88.0.1"))
        .isEqualTo("nameserver 10.88.0.1\nsearch corp.example\noptions edns0\n");
  }

  @Test
  void withoutBerthsServerContainersGetTheHostsFile() {
    assertThat(ResolvConf.of(HOST, null)).isEqualTo(HOST);
  }
}
