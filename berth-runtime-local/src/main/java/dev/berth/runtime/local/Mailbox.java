package dev.berth.runtime.local;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The actor loop of a supervisor: signals are handled one at a time, in the order sent, never two
 * at once, so every state change of one container happens in sequence. A drain of the queue runs on
 * {@code runner} (a fresh virtual thread in production, the sender's own thread in unit tests) and
 * only while signals are waiting: an idle supervisor holds no thread. A handler that throws goes to
 * {@code onFailure} and the loop goes on; after {@link #close()} signals are dropped.
 */
final class Mailbox<S> {
  /** Drains on a new virtual thread named {@code name}. */
  static Executor virtualThread(String name) {
    return task -> Thread.ofVirtual().name(name).start(task);
  }

  /** Drains on the sending thread; a signal sent while draining waits for the drain to reach it. */
  static final Executor INLINE = Runnable::run;

  private final ConcurrentLinkedQueue<S> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Executor runner;
  private final Consumer<S> handler;
  private final BiConsumer<S, Throwable> onFailure;
  private volatile boolean closed;

  Mailbox(Executor runner, Consumer<S> handler, BiConsumer<S, Throwable> onFailure) {
    this.runner = runner;
    this.handler = handler;
    this.onFailure = onFailure;
  }

  void send(S signal) {
    if (closed) {
      return;
    }
    queue.add(signal);
    if (draining.compareAndSet(false, true)) {
      runner.execute(this::drain);
    }
  }

  /** Whether no signal waits (the one being handled, if any, does not count). */
  boolean empty() {
    return queue.isEmpty();
  }

  /** Stops handling: the signal in hand finishes, the rest are dropped. Idempotent. */
  void close() {
    closed = true;
  }

  private void drain() {
    while (true) {
      S s;
      while (!closed && (s = queue.poll()) != null) {
        try {
          handler.accept(s);
        } catch (Throwable t) {
          onFailure.accept(s, t);
        }
      }
      if (closed) {
        queue.clear();
      }
      draining.set(false);
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
