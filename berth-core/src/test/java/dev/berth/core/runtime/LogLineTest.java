package dev.berth.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stored log line format, reading old lines without time, and merging the logs of several
 * instances.
 */
class LogLineTest {
  static final Instant T = Instant.parse("2026-03-01T10:00:00.123456789Z");

  @Test
  void readsTheLinesItStoresWithTimeAndStream() {
    String stored = LogLine.format(T, LogLine.STDERR, "disk full: /data");
    assertThat(stored).isEqualTo("2026-03-01T10:00:00.123456789Z stderr F disk full: /data");
    assertThat(LogLine.parse(stored)).isEqualTo(LogLine.of(T, LogLine.STDERR, "disk full: /data"));
    assertThat(LogLine.parse("2026-03-01T10:00:00Z stdout F "))
        .isEqualTo(LogLine.of(Instant.parse("2026-03-01T10:00:00Z"), LogLine.STDOUT, ""));
    assertThat(LogLine.parse("2026-03-01T10:00:00Z stdout P part of a long line").text())
        .isEqualTo("part of a long line");
  }

  @Test
  void linesWrittenBeforeTimesWereStoredKeepTheirTextAndHaveNoTime() {
    for (String old :
        List.of(
            "hello",
            "2026 was a good year",
            "2026-03-01T10:00:00Z something else",
            "",
            "12 stdout F not a time")) {
      LogLine l = LogLine.parse(old);
      assertThat(l.time()).as(old).isNull();
      assertThat(l.stream()).isNull();
      assertThat(l.text()).isEqualTo(old);
      assertThat(l.render(true, true)).isEqualTo(old);
    }
  }

  @Test
  void rendersSourceTimeAndStreamOnlyWhenAsked() {
    LogLine l = LogLine.of(T, LogLine.STDOUT, "ready");
    assertThat(l.render(false, false)).isEqualTo("ready");
    assertThat(l.render(true, false)).isEqualTo("2026-03-01T10:00:00.123456789Z ready");
    assertThat(l.render(true, true)).isEqualTo("2026-03-01T10:00:00.123456789Z stdout ready");
    assertThat(l.from("web-1").render(false, true)).isEqualTo("web-1 stdout ready");
  }

  @Test
  void sinceLeavesOutOlderLinesAndLinesWithoutTime() {
    LogQuery q = new LogQuery(-1, false, T);
    assertThat(q.admits(LogLine.of(T, LogLine.STDOUT, "at"))).isTrue();
    assertThat(q.admits(LogLine.of(T.minusNanos(1), LogLine.STDOUT, "before"))).isFalse();
    assertThat(q.admits(LogLine.parse("old line"))).isFalse();
    assertThat(LogQuery.ALL.admits(LogLine.parse("old line"))).isTrue();
  }

  @Test
  void mergesInstancesByTimeAndKeepsTheLastLinesOfAll() throws Exception {
    Map<String, LogStream> sources = new LinkedHashMap<>();
    sources.put("web-0", new Fixed(LogLine.parse("old line of web-0"), at(1, "a"), at(4, "d")));
    sources.put("web-1", new Fixed(at(2, "b"), at(3, "c"), at(5, "e")));
    try (LogStream all = LogStreams.merge(sources, -1, false)) {
      assertThat(drain(all))
          .containsExactly(
              "web-0 old line of web-0", "web-0 a", "web-1 b", "web-1 c", "web-0 d", "web-1 e");
      assertThat(all.ended()).isTrue();
    }
    sources.put("web-0", new Fixed(at(1, "a"), at(4, "d")));
    sources.put("web-1", new Fixed(at(2, "b"), at(3, "c"), at(5, "e")));
    try (LogStream last = LogStreams.merge(sources, 2, false)) {
      assertThat(drain(last)).containsExactly("web-0 d", "web-1 e");
    }
  }

  @Test
  void followsNewLinesOfEveryInstance() throws Exception {
    Live web0 = new Live();
    Live web1 = new Live();
    Map<String, LogStream> sources = new LinkedHashMap<>();
    sources.put("web-0", web0);
    sources.put("web-1", web1);
    try (LogStream all = LogStreams.merge(sources, 0, true)) {
      web1.lines.add(at(7, "from one"));
      assertThat(all.next(Duration.ofSeconds(10)).map(l -> l.render(false, false)))
          .contains("web-1 from one");
      web0.lines.add(at(8, "from zero"));
      assertThat(all.next(Duration.ofSeconds(10)).map(l -> l.render(false, false)))
          .contains("web-0 from zero");
      assertThat(all.ended()).isFalse();
    }
    assertThat(web0.closed).isTrue();
    assertThat(web1.closed).isTrue();
  }

  static LogLine at(int second, String text) {
    return LogLine.of(T.plusSeconds(second), LogLine.STDOUT, text);
  }

  static List<String> drain(LogStream s) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (Optional<LogLine> l; (l = s.next(Duration.ZERO)).isPresent(); ) {
      out.add(l.get().render(false, false));
    }
    return out;
  }

  static final class Fixed implements LogStream {
    final Deque<LogLine> lines;

    Fixed(LogLine... lines) {
      this.lines = new ArrayDeque<>(List.of(lines));
    }

    @Override
    public Optional<LogLine> next(Duration wait) {
      return Optional.ofNullable(lines.pollFirst());
    }

    @Override
    public boolean ended() {
      return lines.isEmpty();
    }

    @Override
    public void close() {}
  }

  static final class Live implements LogStream {
    final LinkedBlockingQueue<LogLine> lines = new LinkedBlockingQueue<>();
    volatile boolean closed;

    @Override
    public Optional<LogLine> next(Duration wait) throws InterruptedException {
      return Optional.ofNullable(lines.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean ended() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
