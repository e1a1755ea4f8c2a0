package dev.berth.server.metric;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Saves the embedded store to one gzip file ({@code <data>/metrics/series.bin.gz}) and reads it
 * back. Written to a temporary file and moved over the old one, so a crash mid-save leaves the
 * previous file. A file written with other tiers is ignored (the history starts afresh).
 */
final class StoreFile {
  private static final int MAGIC = 0x42524d31; // "BRM1"

  private final Path file;

  StoreFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  void save(EmbeddedMetricStore store) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    List<Tier> tiers = store.tiers();
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)))) {
      out.writeInt(MAGIC);
      out.writeInt(tiers.size());
      for (Tier t : tiers) {
        out.writeLong(t.step().toMillis());
        out.writeInt(t.chunkSlots());
      }
      List<StoredSeries> all = store.all();
      out.writeInt(all.size());
      for (StoredSeries s : all) {
        out.writeUTF(s.name);
        out.writeInt(s.labels.size());
        for (Map.Entry<String, String> e : s.labels.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
        List<List<Chunk>> chunks = s.chunks();
        for (List<Chunk> tier : chunks) {
          out.writeInt(tier.size());
          for (Chunk c : tier) {
            out.writeLong(c.number);
            out.writeDouble(c.base());
            for (float v : c.values()) {
              out.writeFloat(v);
            }
            out.write(c.counts());
          }
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Loads the saved series into {@code store}; returns how many, 0 without a usable file. */
  int load(EmbeddedMetricStore store) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    List<Tier> tiers = store.tiers();
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16)))) {
      if (in.readInt() != MAGIC || in.readInt() != tiers.size()) {
        return 0;
      }
      for (Tier t : tiers) {
        if (in.readLong() != t.step().toMillis() || in.readInt() != t.chunkSlots()) {
          return 0;
        }
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int n = in.readInt();
        Map<String, String> labels = new HashMap<>();
        for (int j = 0; j < n; j++) {
          labels.put(in.readUTF(), in.readUTF());
        }
        StoredSeries s = store.seriesOf(name, labels);
        for (int t = 0; t < tiers.size(); t++) {
          int chunks = in.readInt();
          int slots = tiers.get(t).chunkSlots();
          for (int c = 0; c < chunks; c++) {
            long number = in.readLong();
            double base = in.readDouble();
            float[] values = new float[slots];
            for (int k = 0; k < slots; k++) {
              values[k] = in.readFloat();
            }
            byte[] counts = in.readNBytes(slots);
            s.restore(t, new Chunk(number, base, values, counts));
          }
        }
      }
      return count;
    }
  }
}
