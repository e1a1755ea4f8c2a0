package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TtyTest {
  @Test
  void aCommandTypedIntoTheTerminalKeepsEachWordWhole() {
    assertThat(Tty.quote(List.of("sh", "-c", "echo it's $HOME; exit 3")))
        .isEqualTo("sh -c 'echo it'\\''s $HOME; exit 3'");
    assertThat(Tty.quote(List.of("cat", "/etc/hostname"))).isEqualTo("cat /etc/hostname");
  }

  @Test
  void withoutATerminalTheSizeIsEightyByTwentyFourAndRawModeDoesNothing() {
    try (Tty tty =
        Tty.of(
            new Io(
                System.out,
                System.err,
                new java.io.ByteArrayInputStream(new byte[0]),
                java.util.Map.of()))) {
      tty.raw();
      assertThat(tty.columns()).isEqualTo(80);
      assertThat(tty.rows()).isEqualTo(24);
    }
  }
}
