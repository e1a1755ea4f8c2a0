package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DbTaskSchedulingTest {
  final DbTaskScheduling scheduling = new DbTaskScheduling(null, null);

  static Trigger cron(String expression, String zone) {
    return new Trigger(TriggerType.CRON, null, expression, zone, null);
  }

  @Test
  void readsFiveFieldCronAsMinutesInTheTriggersTimeZone() {
    Instant after = Instant.parse("2026-01-15T00:30:00Z");
    assertThat(scheduling.nextFire(cron("0 2 * * *", "Europe/Paris"), after))
        .contains(Instant.parse("2026-01-15T01:00:00Z"));
    assertThat(scheduling.nextFire(cron("0 2 * * *", null), after))
        .contains(Instant.parse("2026-01-15T02:00:00Z"));
  }

  @Test
  void readsSixFieldCronWithSecondsFirst() {
    Instant after = Instant.parse("2026-01-15T00:00:00Z");
    assertThat(scheduling.nextFire(cron("*/2 * * * * *", "UTC"), after))
        .contains(Instant.parse("2026-01-15T00:00:02Z"));
  }

  @Test
  void explainsWhatIsWrongWithACronExpression() {
    assertThat(scheduling.cronError("0 2 * * *")).isNull();
    assertThat(scheduling.cronError("* * *")).contains("5 fields").contains("had 3");
    assertThat(scheduling.cronError("61 * * * *")).startsWith("is not a valid cron expression");
  }

  @Test
  void refusesCronExpressionsThatNeverFireOrAreBuiltToBeSlow() {
    assertThat(scheduling.cronError("0 0 30 2 *")).startsWith("never fires");
    assertThat(scheduling.cronError("0 0 29 2 *")).as("leap days do fire").isNull();
    assertThat(scheduling.cronError("*/999999999999 * * * *"))
        .startsWith("is not a valid cron expression");
    assertThat(scheduling.cronError("0-999999999 * * * *"))
        .startsWith("is not a valid cron expression");
  }

  @Test
  void signsCallbackBodiesWithHmacSha256() {
    // RFC 4231 test case 2
    assertThat(HttpCallbackSender.sign("Jefe", "what do ya want for nothing?"))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}
