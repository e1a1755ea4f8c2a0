package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance's persisted record keeps its OOM kill count, and reads older records without it. */
class InstanceRecordTest {
  @TempDir Path dir;

  @Test
  void keepsTheOomKillsOfEarlierContainersAcrossARestartOfBerth() throws IOException {
    Path file = dir.resolve("state.json");
    new InstanceRecord("web", 0, 3, null, "/lower", 42, 1000, 2, "1", 5).write(file);

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
  }
}
