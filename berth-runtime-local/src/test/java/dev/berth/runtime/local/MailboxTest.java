package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The supervisors' shared actor loop. */
class MailboxTest {
  final List<String> handled = new ArrayList<>();
  final List<String> failed = new ArrayList<>();
  Mailbox<String> box;

  @Test
  void signalsSentWhileHandlingOneWaitForItAndKeepTheirOrder() {
    box =
        new Mailbox<>(
            Mailbox.INLINE,
            s -> {
              handled.add(s);
              if (s.equals("a")) {
                box.send("b");
                box.send("c");
                handled.add("a done");
              }
            },
            (s, t) -> failed.add(s));
    box.send("a");
    assertThat(handled).containsExactly("a", "a done", "b", "c");
  }

  @Test
  void aHandlerThatThrowsIsReportedAndTheLoopGoesOn() {
    box =
        new Mailbox<>(
            Mailbox.INLINE,
            s -> {
              if (s.equals("bad")) {
                throw new IllegalStateException("boom");
              }
              handled.add(s);
            },
            (s, t) -> failed.add(s + ": " + t.getMessage()));
    box.send("bad");
    box.send("good");
    assertThat(failed).containsExactly("bad: boom");
    assertThat(handled).containsExactly("good");
  }

  @Test
  void afterCloseSignalsAreDropped() {
    box =
        new Mailbox<>(
            Mailbox.INLINE,
            s -> {
              handled.add(s);
              if (s.equals("close")) {
                box.close();
                box.send("late");
              }
            },
            (s, t) -> failed.add(s));
    box.send("close");
    box.send("later");
    assertThat(handled).containsExactly("close");
    assertThat(box.empty()).isTrue();
  }
}
