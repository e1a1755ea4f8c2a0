package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.LogQuery;
import dev.berth.core.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogsTest {
  @TempDir Path dir;

  void append(Path log, int from, int to) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i <= to; i++) {
      sb.append("line ").append(i).append('\n');
    }
    Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void rotatesBySizeKeepingNFiles() throws Exception {
    Path log = dir.resolve("console.log");
    for (int round = 0; round < 4; round++) {
      append(log, round * 10 + 1, round * 10 + 10);
      assertThat(ConsoleLogs.rotateIfNeeded(log, 20, 2)).isTrue();
      assertThat(Files.size(log)).isZero();
    }
    assertThat(Files.readString(ConsoleLogs.rotated(log, 1))).startsWith("line 31\n");
    assertThat(Files.readString(ConsoleLogs.rotated(log, 2))).startsWith("line 21\n");
    assertThat(ConsoleLogs.rotated(log, 3)).doesNotExist();
    assertThat(ConsoleLogs.rotateIfNeeded(log, 20, 2)).isFalse();
  }

  @Test
  void tailSpansRotatedFiles() throws Exception {
    Path log = dir.resolve("console.log");
    append(log, 1, 5);
    ConsoleLogs.rotateIfNeeded(log, 1, 3);
    append(log, 6, 7);
    assertThat(ConsoleLogs.tail(log, 4, 3)).containsExactly("line 4", "line 5", "line 6", "line 7");
    assertThat(ConsoleLogs.tail(log, -1, 3)).hasSize(7);
    try (FileLogStream s = new FileLogStream(log, new LogQuery(3, false), 3, new ManualScheduler())) {
      assertThat(drain(s)).containsExactly("line 5", "line 6", "line 7");
      assertThat(s.ended()).isTrue();
    }
  }

  @Test
  void followSeesNewLinesAndSurvivesTruncation() throws Exception {
    Path log = dir.resolve("console.log");
    append(log, 1, 3);
    ManualScheduler time = new ManualScheduler();
    try (FileLogStream s = new FileLogStream(log, new LogQuery(1, true), 3, time)) {
      assertThat(s.next(Duration.ZERO)).contains("line 3");
      assertThat(s.next(Duration.ofMillis(100))).isEmpty();
      assertThat(time.slept()).as("waited on the scheduler's time, not the wall clock").containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
      append(log, 4, 4);
      assertThat(s.next(Duration.ofSeconds(2))).contains("line 4");
      ConsoleLogs.rotateIfNeeded(log, 1, 3);
      append(log, 5, 5);
      assertThat(s.next(Duration.ofSeconds(2))).contains("line 5");
      assertThat(s.ended()).isFalse();
    }
  }

  static List<String> drain(FileLogStream s) throws InterruptedException {
    List<String> out = new ArrayList<>();
    java.util.Optional<String> l;
    while ((l = s.next(Duration.ZERO)).isPresent()) {
      out.add(l.get());
    }
    return out;
  }
}
