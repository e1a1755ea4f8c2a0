package dev.berth.oci.build;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns layer groups into jib layers: inline files are written to the work directory, uploaded
 * files are used where they lie, archives are unpacked. Every entry gets the same fixed
 * modification time and root ownership, and entries are sorted by path, so equal inputs give
 * byte-equal layers (jib writes the tar in entry order).
 */
final class LayerStager {
  /**
   * The modification time of every file in a built layer: 1970-01-01T00:00:01Z, as jib's default.
   */
  static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  private final ArchiveUnpacker unpacker;

  LayerStager(long maxUnpackedBytes) {
    this.unpacker = new ArchiveUnpacker(maxUnpackedBytes);
  }

  List<FileEntriesLayer> stage(
      List<LayerSpec> layers, Map<String, Path> uploads, Path workDir, Consumer<String> log)
      throws IOException {
    List<FileEntriesLayer> staged = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      Path dir = Files.createDirectories(workDir.resolve("layer-" + i));
      List<FileEntry> entries = new ArrayList<>();
      for (int a = 0; a < layer.archives().size(); a++) {
        ArchiveSpec archive = layer.archives().get(a);
        Path into = Files.createDirectories(dir.resolve("archive-" + a));
        AbsoluteUnixPath target = AbsoluteUnixPath.get(archive.target());
        for (ArchiveUnpacker.Entry e :
            unpacker.unpack(archive.source(), upload(uploads, archive.source()), into)) {
          entries.add(entry(e.file(), target.resolve(e.path()), e.mode()));
        }
      }
      for (int f = 0; f < layer.files().size(); f++) {
        FileSpec file = layer.files().get(f);
        Path source =
            file.content() != null
                ? Files.writeString(
                    dir.resolve("inline-" + f), file.content(), StandardCharsets.UTF_8)
                : upload(uploads, file.source());
        entries.add(entry(source, AbsoluteUnixPath.get(file.path()), file.permissions()));
      }
      // A later entry for the same path wins (a single file over an archive's copy), then sort.
      Map<String, FileEntry> byPath = new java.util.TreeMap<>();
      entries.forEach(e -> byPath.put(e.getExtractionPath().toString(), e));
      List<FileEntry> sorted = new ArrayList<>(byPath.values());
      sorted.sort(Comparator.comparing(e -> e.getExtractionPath().toString()));
      staged.add(FileEntriesLayer.builder().setName(layer.name()).setEntries(sorted).build());
      log.accept(
          "layer "
              + (i + 1)
              + "/"
              + layers.size()
              + " '"
              + layer.name()
              + "': "
              + sorted.size()
              + " entries");
    }
    return staged;
  }

  private static FileEntry entry(Path source, AbsoluteUnixPath target, int mode) {
    return new FileEntry(
        source,
        target,
        FilePermissions.fromOctalString(String.format("%03o", mode & 0777)),
        FILE_TIME,
        "0:0");
  }

  private static Path upload(Map<String, Path> uploads, String name) {
    Path path = uploads.get(name);
    if (path == null || !Files.isRegularFile(path)) {
      throw new BuildException(
          "the uploaded part '" + name + "' is missing from the build's inputs");
    }
    return path;
  }
}
