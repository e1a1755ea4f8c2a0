package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.LogLine;
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
    try (FileLogStream s =
        new FileLogStream(log, new LogQuery(3, false), 3, new ManualScheduler())) {
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
      assertThat(s.next(Duration.ZERO).map(LogLine::text)).contains("line 3");
      assertThat(s.next(Duration.ofMillis(100))).isEmpty();
      assertThat(time.slept())
          .as("waited on the scheduler's time, not the wall clock")
          .containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
      append(log, 4, 4);
      assertThat(s.next(Duration.ofSeconds(2)).map(LogLine::text)).contains("line 4");
      ConsoleLogs.rotateIfNeeded(log, 1, 3);
      append(log, 5, 5);
      assertThat(s.next(Duration.ofSeconds(2)).map(LogLine::text)).contains("line 5");
      assertThat(s.ended()).isFalse();
    }
  }

  @Test
  void readsTimeAndStreamOfStampedLinesNextToOldOnesAndFiltersBySince() throws Exception {
    Path log = dir.resolve("console.log");
    java.time.Instant t = java.time.Instant.parse("2026-03-01T10:00:00Z");
    Files.writeString(
        log,
        "an old line without time\n"
            + LogLine.format(t, LogLine.STDOUT, "first")
            + "\n"
            + LogLine.format(t.plusSeconds(60), LogLine.STDERR, "second")
            + "\n"
            + LogLine.format(t.plusSeconds(120), LogLine.STDOUT, "third")
            + "\n");
    try (FileLogStream s = new FileLogStream(log, LogQuery.ALL, 3, new ManualScheduler())) {
      assertThat(drain(s))
          .containsExactly(
              "an old line without time",
              "2026-03-01T10:00:00Z stdout first",
              "2026-03-01T10:01:00Z stderr second",
              "2026-03-01T10:02:00Z stdout third");
    }
    try (FileLogStream s =
        new FileLogStream(
            log, new LogQuery(-1, false, t.plusSeconds(30)), 3, new ManualScheduler())) {
      assertThat(drain(s))
          .containsExactly(
              "2026-03-01T10:01:00Z stderr second", "2026-03-01T10:02:00Z stdout third");
    }
    try (FileLogStream s =
        new FileLogStream(
            log, new LogQuery(1, false, t.plusSeconds(30)), 3, new ManualScheduler())) {
      assertThat(drain(s)).containsExactly("2026-03-01T10:02:00Z stdout third");
    }
  }

  static List<String> drain(FileLogStream s) throws InterruptedException {
    List<String> out = new ArrayList<>();
    java.util.Optional<LogLine> l;
    while ((l = s.next(Duration.ZERO)).isPresent()) {
      out.add(l.get().render(true, true));
    }
    return out;
  }
}
