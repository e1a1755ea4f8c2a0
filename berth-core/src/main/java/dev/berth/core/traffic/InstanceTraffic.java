package dev.berth.core.traffic;

/**
 * The switch between an instance and its traffic, used by whoever stops an instance on purpose (a
 * release replacing it, a drain): take it out of traffic first, wait until in-flight requests have
 * finished, only then stop it; put it back once its replacement is ready.
 *
 * <p>The state lives in the database, so a restarted Berth re-applies it. {@link #NONE} is the
 * switch of a Berth without a traffic layer: readiness alone decides.
 */
public interface InstanceTraffic {
  /** Takes the instance out of discovery, DNS and the gateway; it keeps running. Idempotent. */
  void drain(String app, String instance);

  /**
   * Whether no request is in flight to a drained instance any more (or its drain timeout passed).
   */
  boolean drained(String app, String instance);

  /**
   * Ends a drain: the instance (or its replacement with the same id) may take traffic when ready.
   */
  void restore(String app, String instance);

  InstanceTraffic NONE =
      new InstanceTraffic() {
        @Override
        public void drain(String app, String instance) {}

        @Override
        public boolean drained(String app, String instance) {
          return true;
        }

        @Override
        public void restore(String app, String instance) {}
      };
}
