package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.AppSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the runtime persists per instance ({@code state.json} in the instance directory) so that a
 * new Berth process can re-adopt it: what it should run, the shim that supervises it, its counters
 * and its last readiness.
 *
 * @param lower the image root file system the overlay was mounted on, or null
 * @param shimPid the supervision shim's pid, 0 when none was started
 * @param startedAt epoch milliseconds of the last start, 0 when none
 * @param oomKills OOM kills that ended earlier containers of the instance (0 in older records)
 * @param ready whether the container of {@code shimPid} was ready when last recorded (false in
 *     older records)
 * @param readySince epoch milliseconds when that readiness was decided (the start, or the probe
 *     outcome that changed it), 0 when unknown
 */
record InstanceRecord(
    String app,
    int ordinal,
    long revision,
    AppSpec spec,
    String lower,
    long shimPid,
    long startedAt,
    int restarts,
    String cpus,
    int oomKills,
    boolean ready,
    long readySince) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * Whether the container a new Berth process found, watched by the shim {@code foundShimPid}, is
   * the one this record saw ready: the same shim (a shim runs one container and ends with it), and
   * ready when recorded. Pure.
   */
  boolean readyIn(long foundShimPid) {
    return ready && shimPid > 0 && foundShimPid == shimPid;
  }

  static InstanceRecord read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), InstanceRecord.class);
  }

  void write(Path file) throws IOException {
    Fs.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }
}
