package dev.berth.server.build;

import dev.berth.core.support.Errors;
import dev.berth.oci.build.ArchiveFormats;
import dev.berth.oci.build.ArchiveSpec;
import dev.berth.oci.build.BuildSpec;
import dev.berth.oci.build.LayerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.web.multipart.MultipartFile;

/**
 * Where builds keep their files under {@code <data>/builds}: jib's caches ({@code cache/}), each
 * build's uploaded inputs and staging area ({@code <id>/inputs}, {@code <id>/work}, removed when
 * the build ends) and each template's uploads ({@code templates/<name>}, kept for rebuilds).
 */
final class BuildFiles {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private final Path root;

  BuildFiles(Path dataDir) {
    this.root = dataDir.resolve("builds");
  }

  Path cache() {
    return root.resolve("cache");
  }

  Path inputs(long build) {
    return root.resolve(Long.toString(build)).resolve("inputs");
  }

  Path work(long build) {
    return root.resolve(Long.toString(build)).resolve("work");
  }

  Path template(String name) {
    return root.resolve("templates").resolve(name);
  }

  /** The files in an inputs directory by part name. */
  static Map<String, Path> uploads(Path dir) {
    Map<String, Path> uploads = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(Files::isRegularFile).forEach(p -> uploads.put(p.getFileName().toString(), p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return uploads;
  }

  /**
   * Checks the uploaded parts against the spec: safe names, each named by a {@code source},
   * archives that are tar, tar.gz or zip. Throws a validation error naming the part or field.
   */
  static void checkUploads(BuildSpec spec, Map<String, MultipartFile> parts) {
    Errors errors = new Errors();
    parts.forEach(
        (name, part) -> {
          errors.check(
              PART.matcher(name).matches(),
              "parts." + name,
              "part names must be letters, digits, '.', '_' or '-' (at most 100), starting with a letter or digit");
          errors.check(
              spec.sources().contains(name),
              "parts." + name,
              "is not named by any source in the spec; name it in a file's or archive's source, or do not send it");
        });
    List<LayerSpec> layers = spec.allLayers();
    for (int i = 0; i < layers.size(); i++) {
      List<ArchiveSpec> archives = layers.get(i).archives();
      String field = i < spec.layers().size() ? "layers[" + i + "]." : "";
      for (int a = 0; a < archives.size(); a++) {
        MultipartFile part = parts.get(archives.get(a).source());
        if (part != null) {
          try (var in = part.getInputStream()) {
            errors.check(
                ArchiveFormats.sniff(in).isPresent(),
                field + "archives[" + a + "].source",
                "the part '" + archives.get(a).source() + "' is not a tar, tar.gz or zip archive");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    errors.throwIfAny();
  }

  /** Writes the uploaded parts into {@code dir} (created), one file per part name. */
  static void save(Map<String, MultipartFile> parts, Path dir) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, MultipartFile> e : parts.entrySet()) {
        try (var in = e.getValue().getInputStream()) {
          Files.copy(in, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the uploaded files in " + dir, e);
    }
  }

  /**
   * Links (or copies) every file of {@code from} into {@code to}: a build's own snapshot of
   * template inputs.
   */
  static void snapshot(Path from, Path to) {
    try {
      Files.createDirectories(to);
      for (Map.Entry<String, Path> e : uploads(from).entrySet()) {
        Path target = to.resolve(e.getKey());
        try {
          Files.createLink(target, e.getValue());
        } catch (FileAlreadyExistsException ex) {
          // already snapshotted
        } catch (IOException | UnsupportedOperationException ex) {
          Files.copy(e.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot snapshot " + from, e);
    }
  }

  /** Replaces {@code dir}'s content by the parts (written next to it first, then swapped in). */
  static void replace(Map<String, MultipartFile> parts, Path dir) {
    Path fresh = dir.resolveSibling(dir.getFileName() + ".new");
    delete(fresh);
    save(parts, fresh);
    delete(dir);
    try {
      Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the template's files in " + dir, e);
    }
  }

  /** Removes a directory tree; missing is fine. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
