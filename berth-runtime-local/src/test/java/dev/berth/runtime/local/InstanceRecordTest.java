package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's persisted record keeps its OOM kill count and its readiness, and reads older
 * records without them.
 */
class InstanceRecordTest {
  @TempDir Path dir;

  @Test
  void keepsTheOomKillsOfEarlierContainersAcrossARestartOfBerth() throws IOException {
    Path file = dir.resolve("state.json");
    new InstanceRecord("web", 0, 3, null, "/lower", 42, 1000, 2, "1", 5, true, 900).write(file);

    assertThat(InstanceRecord.read(file).oomKills()).isEqualTo(5);
    assertThat(InstanceRecord.read(file).restarts()).isEqualTo(2);
  }

  @Test
  void aRecordWrittenBeforeOomKillsWereKeptReadsAsNone() throws IOException {
    Path file = dir.resolve("state.json");
    Files.writeString(
        file,
        """
        {"app":"web","ordinal":0,"revision":3,"spec":null,"lower":"/lower","shimPid":42,
         "startedAt":1000,"restarts":2,"cpus":"1"}
        """);

    InstanceRecord r = InstanceRecord.read(file);

    assertThat(r.oomKills()).isZero();
    assertThat(r.restarts()).isEqualTo(2);
    assertThat(r.readyIn(42)).as("an older record says nothing about readiness").isFalse();
  }

  @Test
  void aRecordedReadinessHoldsOnlyForTheSameShim() throws IOException {
    Path file = dir.resolve("state.json");
    new InstanceRecord("web", 0, 3, null, "/lower", 42, 1000, 2, "1", 0, true, 900).write(file);

    InstanceRecord r = InstanceRecord.read(file);

    assertThat(r.readySince()).isEqualTo(900);
    assertThat(r.readyIn(42)).isTrue();
    assertThat(r.readyIn(43)).as("another shim runs another container").isFalse();
    assertThat(new InstanceRecord("web", 0, 3, null, null, 0, 0, 0, null, 0, true, 0).readyIn(0))
        .as("no shim was recorded")
        .isFalse();
  }
}
