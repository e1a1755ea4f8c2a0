package dev.berth.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.alert.Alert;
import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.Condition;
import dev.berth.core.alert.ConditionReader;
import dev.berth.core.alert.Receiver;
import dev.berth.core.alert.Severity;
import dev.berth.core.alert.Silence;
import dev.berth.core.event.EventType;
import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.testing.InMemoryMetrics;
import dev.berth.core.testing.RecordingEvents;
import dev.berth.core.time.ManualScheduler;
import dev.berth.server.task.HttpCallbackSender;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestJson;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The evaluator and the delivery queues on a real database, a loopback webhook receiver and a real
 * SMTP server (GreenMail), with time moved by hand: pending, firing after {@code for}, resolved;
 * signed webhooks and e-mail; the repeat interval; silences; a dead receiver that delays no one.
 */
class AlertDeliveryTest {
  static final String SECRET = "a-webhook-secret-of-some-length";
  static final Map<String, String> NODE = Map.of("cluster", "local", "node", "n1");
  final ManualScheduler time = new ManualScheduler(Instant.parse("2026-03-01T10:00:00Z"));
  final InMemoryMetrics metrics = new InMemoryMetrics();
  final RecordingEvents events = new RecordingEvents();
  final ObjectMapper json = TestJson.mapper();
  final AtomicInteger failingReads = new AtomicInteger();
  HikariDataSource db;
  JdbcAlertConfigStore config;
  JdbcAlertStore store;
  AlertEvaluator evaluator;
  Hooks hook;
  GreenMail mail;

  @BeforeEach
  void setUp() throws Exception {
    db = database();
    JdbcClient jdbc = JdbcClient.create(db);
    config = new JdbcAlertConfigStore(jdbc, json);
    store =
        new JdbcAlertStore(jdbc, json, new DataSourceTransactionManager(db)) {
          @Override
          Optional<Delivery> delivery(long id) {
            if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw new CannotGetJdbcConnectionException("the database is down (test)");
            }
            return super.delivery(id);
          }
        };
    hook = Hooks.start();
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    AlertProperties.Smtp smtp =
        new AlertProperties.Smtp(
            "127.0.0.1",
            mail.getSmtp().getPort(),
            "berth@test",
            null,
            null,
            false,
            Duration.ofSeconds(5));
    HttpNotifier http =
        new HttpNotifier(json, OutboundPolicy.defaults(), OutboundPolicy.Resolver.SYSTEM, time);
    DeliveryQueues queues =
        new DeliveryQueues(
            new DeliveryQueues.Parts(
                store,
                config::receiver,
                Receiver::secret,
                Map.of(
                    Receiver.Type.WEBHOOK, http,
                    Receiver.Type.ALERTMANAGER, http,
                    Receiver.Type.EMAIL, new MailNotifier(smtp)),
                time,
                json),
            3,
            Duration.ofSeconds(2));
    ConditionReader reader = new ConditionReader(metrics, since -> List.of(), app -> null);
    evaluator =
        new AlertEvaluator(
            config, store, reader, events, new Notifications(config, store, queues, json), time);
    config.createRule(
        new AlertRule(
            "pids-high",
            null,
            Condition.value("berth_node_pids", "berth_node_pid_max", Condition.Op.GT, 0.8),
            Duration.ofMinutes(5),
            Severity.WARNING,
            Map.of(),
            "Processes above 80 % of pid_max",
            true,
            false),
        "test",
        time.instant());
  }

  /** The database the stores run on: H2 here, PostgreSQL in {@link AlertDeliveryPostgresIT}. */
  HikariDataSource database() {
    return TestDatabases.h2();
  }

  @AfterEach
  void tearDown() {
    hook.close();
    mail.stop();
    db.close();
  }

  void receiver(String name, Receiver.Type type, String url, List<String> to) {
    config.createReceiver(
        new Receiver(
            name,
            null,
            type,
            url,
            type == Receiver.Type.WEBHOOK ? Receiver.Format.GENERIC : null,
            to,
            type == Receiver.Type.EMAIL ? null : SECRET,
            Duration.ofHours(1)),
        "test",
        time.instant());
  }

  void pids(double used) {
    metrics.record("berth_node_pids", NODE, used, time.instant());
    metrics.record("berth_node_pid_max", NODE, 1000, time.instant());
  }

  void evaluateAfter(Duration d) {
    time.advance(d);
    evaluator.evaluate();
  }

  JsonNode nextPost() throws Exception {
    Hooks.Post p = hook.posts.poll(20, TimeUnit.SECONDS);
    assertThat(p).as("a webhook post").isNotNull();
    assertThat(p.signature()).isEqualTo("sha256=" + HttpCallbackSender.sign(SECRET, p.body()));
    return json.readTree(p.body());
  }

  @Test
  void firesAfterForReachesTheWebhookAndTheInboxThenResolvesBoth() throws Exception {
    receiver("ops", Receiver.Type.WEBHOOK, hook.url("/alerts"), null);
    receiver("mail", Receiver.Type.EMAIL, null, List.of("ops@example.test"));
    pids(900);
    evaluator.evaluate();
    assertThat(store.open())
        .singleElement()
        .extracting(Alert::state)
        .isEqualTo(Alert.State.PENDING);
    pids(900);
    evaluateAfter(Duration.ofMinutes(4));
    assertThat(hook.posts).isEmpty();

    pids(950);
    evaluateAfter(Duration.ofMinutes(1));
    JsonNode firing = nextPost();
    assertThat(firing.path("status").asText()).isEqualTo("firing");
    assertThat(firing.path("title").asText()).isEqualTo("[FIRING:1] pids-high");
    assertThat(firing.path("alerts").get(0).path("labels").path("node").asText()).isEqualTo("n1");
    assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
    assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("[FIRING:1] pids-high");
    assertThat(events.all())
        .filteredOn(e -> e.reason().equals("AlertFiring"))
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.WARNING));

    pids(100);
    evaluateAfter(Duration.ofSeconds(15));
    JsonNode resolved = nextPost();
    assertThat(resolved.path("status").asText()).isEqualTo("resolved");
    assertThat(mail.waitForIncomingEmail(20_000, 2)).isTrue();
    MimeMessage second = mail.getReceivedMessages()[1];
    assertThat(second.getSubject()).isEqualTo("[RESOLVED] pids-high");
    assertThat(events.all())
        .filteredOn(e -> e.reason().equals("AlertResolved"))
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.NORMAL));
    long id = store.list("RESOLVED", 10).getFirst().id();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.deliveriesOf(id).stream().filter(d -> d.status().equals("delivered")).count()
                    == 4);
  }

  @Test
  void aDatabaseFailureWhileSendingLeavesTheMessageQueuedAndTheNextPassSendsIt() throws Exception {
    config.updateRule(
        config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO),
        "test",
        time.instant());
    receiver("ops", Receiver.Type.WEBHOOK, hook.url("/alerts"), null);
    failingReads.set(1);
    pids(900);
    evaluator.evaluate();
    assertThat(hook.posts.poll(500, TimeUnit.MILLISECONDS)).isNull();

    pids(900);
    evaluateAfter(Duration.ofSeconds(15));
    assertThat(nextPost().path("status").asText()).isEqualTo("firing");
    assertThat(hook.posts.poll(300, TimeUnit.MILLISECONDS)).as("sent once").isNull();
  }

  @Test
  void aStillFiringGroupIsSentAgainAfterTheRepeatIntervalOnly() throws Exception {
    config.updateRule(
        config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO),
        "test",
        time.instant());
    receiver("ops", Receiver.Type.WEBHOOK, hook.url("/alerts"), null);
    pids(900);
    evaluator.evaluate();
    assertThat(nextPost().path("status").asText()).isEqualTo("firing");
    pids(900);
    evaluateAfter(Duration.ofMinutes(59));
    assertThat(hook.posts.poll(300, TimeUnit.MILLISECONDS)).isNull();
    pids(900);
    evaluateAfter(Duration.ofMinutes(1));
    assertThat(nextPost().path("status").asText()).isEqualTo("firing");
  }

  @Test
  void aSilencedAlertStillResolvesAndSendsResolvedWhenTheSilenceEnds() throws Exception {
    config.updateRule(
        config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO),
        "test",
        time.instant());
    receiver("ops", Receiver.Type.WEBHOOK, hook.url("/alerts"), null);
    pids(900);
    evaluator.evaluate();
    assertThat(nextPost().path("status").asText()).isEqualTo("firing");
    config.createSilence(
        new Silence(
            0,
            Map.of("alertname", "pids-high"),
            null,
            "maintenance",
            "ann",
            time.instant(),
            time.instant().plus(Duration.ofMinutes(30))));
    pids(10);
    evaluateAfter(Duration.ofMinutes(1));
    assertThat(store.list("RESOLVED", 10)).hasSize(1);
    assertThat(hook.posts.poll(300, TimeUnit.MILLISECONDS)).isNull();
    evaluateAfter(Duration.ofMinutes(30));
    assertThat(nextPost().path("status").asText()).isEqualTo("resolved");
  }

  @Test
  void aDeadWebhookDelaysNoOtherReceiverAndItsAttemptsAreShown() throws Exception {
    config.updateRule(
        config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO),
        "test",
        time.instant());
    try (Hooks dead = Hooks.hanging()) {
      receiver("a-dead", Receiver.Type.WEBHOOK, dead.url("/never"), null);
      receiver("b-refused", Receiver.Type.WEBHOOK, "http://127.0.0.1:1/closed", null);
      receiver("ops", Receiver.Type.WEBHOOK, hook.url("/alerts"), null);
      receiver("mail", Receiver.Type.EMAIL, null, List.of("ops@example.test"));
      pids(900);
      evaluator.evaluate();
      assertThat(dead.posts.poll(20, TimeUnit.SECONDS))
          .as("the dead receiver was called")
          .isNotNull();
      assertThat(nextPost().path("status").asText()).isEqualTo("firing");
      assertThat(mail.waitForIncomingEmail(20_000, 1)).isTrue();
      long id = store.open().getFirst().id();
      assertThat(store.deliveriesOf(id))
          .filteredOn(d -> d.receiver().equals("a-dead"))
          .singleElement()
          .satisfies(d -> assertThat(d.status()).isEqualTo("queued"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(store.deliveriesOf(id))
                      .filteredOn(d -> d.receiver().equals("b-refused"))
                      .singleElement()
                      .satisfies(
                          d -> {
                            assertThat(d.status()).isEqualTo("failed");
                            assertThat(d.attempts()).isEqualTo(3);
                            assertThat(d.lastResult()).contains("ConnectException");
                          }));
    }
  }

  @Test
  void aWebhookWhoseNameNowResolvesToAMetadataAddressIsNotCalled() throws Exception {
    AlertRule always = config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO);
    config.updateRule(always, "test", time.instant());
    receiver("rebound", Receiver.Type.WEBHOOK, "http://169.254.169.254/latest", null);
    pids(900);
    evaluator.evaluate();
    long id = store.open().getFirst().id();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(store.deliveriesOf(id))
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.status()).isEqualTo("failed");
                          assertThat(d.attempts()).isEqualTo(1);
                          assertThat(d.lastResult())
                              .contains("not sent")
                              .contains("169.254.0.0/16");
                        }));
  }

  @Test
  void anUnreadableMetricSourceKeepsFiringAlertsAsTheyAre() {
    config.updateRule(
        config.rule("pids-high").orElseThrow().rule().withFor(Duration.ZERO),
        "test",
        time.instant());
    pids(900);
    evaluator.evaluate();
    metrics.down = true;
    evaluateAfter(Duration.ofMinutes(5));
    assertThat(store.open()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
  }
}
