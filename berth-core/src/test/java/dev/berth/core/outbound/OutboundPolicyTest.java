package dev.berth.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OutboundPolicyTest {
  final OutboundPolicy defaults = OutboundPolicy.defaults();

  @Test
  void refusesLinkLocalAndMetadataAddressesAsWritten() {
    assertThat(defaults.refuseAsWritten("http://169.254.169.254/latest/meta-data/"))
        .get()
        .asString()
        .contains("169.254.0.0/16");
    assertThat(defaults.refuseAsWritten("http://169.254.1.2:8080/x")).isPresent();
    assertThat(defaults.refuseAsWritten("http://[fe80::1]/hook")).isPresent();
    assertThat(defaults.refuseAsWritten("http://[fd00:ec2::254]/latest")).isPresent();
    assertThat(defaults.refuseAsWritten("http://[::ffff:169.254.169.254]/")).isPresent();
    assertThat(defaults.refuseAsWritten("http://metadata.google.internal/computeMetadata/v1/"))
        .get()
        .asString()
        .contains("metadata.google.internal");
    assertThat(defaults.refuseAsWritten("http://METADATA.google.internal./x")).isPresent();
  }

  @Test
  void acceptsLoopbackPrivateAndOrdinaryNames() {
    assertThat(defaults.refuseAsWritten("http://127.0.0.1:8080/hook")).isEmpty();
    assertThat(defaults.refuseAsWritten("http://10.1.2.3/hook")).isEmpty();
    assertThat(defaults.refuseAsWritten("http://[::1]:9/hook")).isEmpty();
    assertThat(defaults.refuseAsWritten("https://hooks.example.com/x")).isEmpty();
  }

  @Test
  void anAllowedBlockOrNameWinsAndMoreCanBeRefused() {
    OutboundPolicy p =
        OutboundPolicy.of(
            List.of("169.254.10.0/24", "metadata.google.internal"), List.of("10.0.0.0/8"));
    assertThat(p.refuseAsWritten("http://169.254.10.7/")).isEmpty();
    assertThat(p.refuseAsWritten("http://169.254.169.254/")).isPresent();
    assertThat(p.refuseAsWritten("http://metadata.google.internal/")).isEmpty();
    assertThat(p.refuseAsWritten("http://10.9.9.9/")).isPresent();
    assertThat(p.refuseAsWritten("http://127.0.0.1/")).isEmpty();
  }

  @Test
  void aNameIsCheckedAgainAtSendTimeAgainstWhatItResolvesToThen() throws Exception {
    AtomicReference<String> answer = new AtomicReference<>("127.0.0.1");
    OutboundPolicy.Resolver rebinding =
        host ->
            List.of(
                InetAddress.getByAddress(host, InetAddress.getByName(answer.get()).getAddress()));
    String url = "http://hooks.test/alert";
    assertThat(defaults.refuseAsWritten(url)).isEmpty();
    assertThat(defaults.refuseAtSend(url, rebinding)).isEmpty();
    answer.set("169.254.169.254");
    assertThat(defaults.refuseAtSend(url, rebinding))
        .get()
        .asString()
        .contains("hooks.test resolves to 169.254.169.254");
  }

  @Test
  void anUnresolvableNameIsNotSentTo() {
    OutboundPolicy.Resolver none =
        host -> {
          throw new java.net.UnknownHostException(host);
        };
    assertThat(defaults.refuseAtSend("http://nowhere.test/", none))
        .get()
        .asString()
        .contains("cannot resolve nowhere.test");
  }

  @Test
  void aMalformedSettingEntryIsNamed() {
    assertThatThrownBy(() -> OutboundPolicy.of(List.of("10.0.0.0/99"), List.of()))
        .hasMessageContaining("10.0.0.0/99");
  }
}
