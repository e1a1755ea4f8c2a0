package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.time.ManualScheduler;
import dev.berth.server.alert.Hooks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Callbacks are checked against the outbound policy before every attempt, as the name resolves. */
class HttpCallbackSenderTest {
  final ManualScheduler time = new ManualScheduler();
  final List<String> results = new CopyOnWriteArrayList<>();

  @Test
  void aCallbackWhoseNameNowResolvesToTheMetadataAddressIsNotSent() throws Exception {
    try (Hooks hook = Hooks.start()) {
      AtomicReference<String> answer = new AtomicReference<>("127.0.0.1");
      OutboundPolicy.Resolver rebinding =
          host ->
              List.of(
                  InetAddress.getByAddress(host, InetAddress.getByName(answer.get()).getAddress()));
      HttpCallbackSender sender =
          new HttpCallbackSender(Duration.ofSeconds(1), time, OutboundPolicy.defaults(), rebinding);
      String url = hook.url("/cb").replace("127.0.0.1", "localhost");

      sender.send(url, "a-callback-secret-123", "{\"run\":1}", (s, n) -> results.add(s));
      assertThat(hook.posts.poll(20, TimeUnit.SECONDS)).isNotNull();
      await().atMost(Duration.ofSeconds(20)).until(() -> results.contains("delivered: 200"));

      answer.set("169.254.169.254");
      results.clear();
      sender.send(url, "a-callback-secret-123", "{\"run\":2}", (s, n) -> results.add(s));
      await().atMost(Duration.ofSeconds(20)).until(() -> !results.isEmpty());
      assertThat(results)
          .singleElement()
          .asString()
          .startsWith("not sent: localhost resolves to 169.254.169.254");
      assertThat(hook.posts).isEmpty();
    }
  }
}
