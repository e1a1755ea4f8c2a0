package dev.berth.core.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A command's output is kept up to the cap and the rest dropped, however it is written. */
class CappedOutputTest {
  @Test
  void keepsTheFirstBytesUpToTheCapAndDropsTheRest() {
    CappedOutput out = new CappedOutput(10);
    out.write("hello ".getBytes(UTF_8), 0, 6);
    out.write("world, and more".getBytes(UTF_8), 0, 15);
    out.write('!');
    assertThat(out.text()).isEqualTo("hello worl");
    assertThat(out.size()).isEqualTo(10);
  }

  @Test
  void aMillionBytesKeepOnlyTheRuntimesCap() {
    CappedOutput out = new CappedOutput(ExecResult.OUTPUT_CAP);
    byte[] line = "0123456789abcdef".repeat(64).getBytes(UTF_8);
    for (int i = 0; i < 1000; i++) {
      out.write(line, 0, line.length);
    }
    assertThat(out.size()).isEqualTo(64 * 1024);
  }

  @Test
  void badSlicesAndNegativeCapsAreRefused() {
    CappedOutput out = new CappedOutput(4);
    assertThatThrownBy(() -> out.write(new byte[2], 1, 5))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new CappedOutput(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
