package dev.berth.core.task;

/** Posts a run's result to its task's callback URL; retries on its own; never throws. */
public interface CallbackSender {
  /**
   * @param onResult called with a short status ("delivered: 200", "failed: ...") and the attempt
   *     count after each attempt
   */
  void send(
      String url,
      String secret,
      String body,
      java.util.function.BiConsumer<String, Integer> onResult);
}
