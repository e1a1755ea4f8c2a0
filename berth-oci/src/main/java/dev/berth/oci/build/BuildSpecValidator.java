package dev.berth.oci.build;

import dev.berth.core.support.Errors;
import dev.berth.oci.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link BuildSpec} field by field, naming each bad field by its JSON path and the fix.
 */
final class BuildSpecValidator {
  static final int MAX_LAYERS = 32;
  static final int MAX_FILES = 10_000;
  static final int MAX_INLINE_BYTES = 1 << 20;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(/(tcp|udp))?");
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern LAYER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");

  private final Set<String> uploads;
  private final Errors errors = new Errors();

  BuildSpecValidator(Set<String> uploads) {
    this.uploads = Set.copyOf(uploads);
  }

  void validate(BuildSpec spec) {
    image(spec.image());
    base(spec);
    if (spec.workdir() != null) {
      absolute(spec.workdir(), "workdir");
    }
    strings(spec.entrypoint(), "entrypoint");
    strings(spec.cmd(), "cmd");
    env(spec.env());
    ports(spec.ports());
    if (spec.user() != null) {
      errors.check(
          !spec.user().isBlank()
              && spec.user().strip().equals(spec.user())
              && !spec.user().contains(" "),
          "user",
          "must be a user name or uid[:gid] without spaces, e.g. 'nobody' or '65534:65534'");
    }
    spec.labels()
        .forEach(
            (k, v) ->
                errors.check(
                    !k.isBlank() && v != null,
                    "labels." + k,
                    "must be a non-empty key with a string value"));
    layers(spec);
    errors.throwIfAny();
  }

  private void image(String image) {
    if (image == null || image.isBlank()) {
      errors.add(
          "image",
          "is required: the reference to push the built image to, e.g. '127.0.0.1:5000/team/web:1'");
      return;
    }
    try {
      ImageReference ref = ImageReference.parse(image);
      errors.check(
          ref.digest() == null,
          "image",
          "must name a tag, not a digest: the digest is what the build produces");
    } catch (IllegalArgumentException e) {
      errors.add("image", e.getMessage());
    }
  }

  private void base(BuildSpec spec) {
    boolean hasBase = spec.base() != null && !spec.base().isBlank();
    boolean hasTemplate = spec.template() != null && !spec.template().isBlank();
    if (hasBase == hasTemplate) {
      errors.add(
          hasBase ? "template" : "base",
          hasBase
              ? "give either base or template, not both"
              : "is required: a base image reference (or 'scratch'), or give 'template' with a build template's name");
      return;
    }
    if (hasTemplate) {
      errors.dnsLabel(spec.template(), "template", 63);
    } else if (!spec.base().equals(BuildSpec.SCRATCH)) {
      try {
        ImageReference.parse(spec.base());
      } catch (IllegalArgumentException e) {
        errors.add("base", e.getMessage());
      }
    }
  }

  private void layers(BuildSpec spec) {
    List<LayerSpec> layers = spec.layers();
    errors.check(
        layers.size() + (spec.files().isEmpty() && spec.archives().isEmpty() ? 0 : 1) <= MAX_LAYERS,
        "layers",
        "must be at most " + MAX_LAYERS + " layer groups, was " + layers.size());
    Set<String> names = new HashSet<>();
    int count = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      String field = "layers[" + i + "]";
      if (layer == null) {
        errors.add(field, "must be an object with name, files and archives");
        continue;
      }
      if (layer.name() == null || !LAYER_NAME.matcher(layer.name()).matches()) {
        errors.add(
            field + ".name",
            "is required: lower-case letters, digits and '-', at most 32 characters (e.g. 'deps')");
      } else if (!names.add(layer.name())
          || layer.name().equals(BuildSpec.APP_LAYER)
              && !(spec.files().isEmpty() && spec.archives().isEmpty())) {
        errors.add(
            field + ".name",
            "'" + layer.name() + "' is used twice; name every layer group differently");
      }
      errors.check(
          !layer.files().isEmpty() || !layer.archives().isEmpty(),
          field,
          "has no files and no archives; add some or drop the layer");
      count += content(layer.files(), layer.archives(), field + ".");
    }
    count += content(spec.files(), spec.archives(), "");
    errors.check(
        count <= MAX_FILES,
        "files",
        "must be at most "
            + MAX_FILES
            + " files in all, was "
            + count
            + "; put many files into an archive");
  }

  private int content(List<FileSpec> files, List<ArchiveSpec> archives, String prefix) {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      file(files.get(i), prefix + "files[" + i + "]", paths);
    }
    for (int i = 0; i < archives.size(); i++) {
      archive(archives.get(i), prefix + "archives[" + i + "]");
    }
    return files.size();
  }

  private void file(FileSpec file, String field, Set<String> paths) {
    if (file == null) {
      errors.add(field, "must be an object with path and content or source");
      return;
    }
    if (absolute(file.path(), field + ".path") && !paths.add(file.path())) {
      errors.add(field + ".path", "'" + file.path() + "' is added twice in this layer");
    }
    if (file.path() != null && file.path().endsWith("/")) {
      errors.add(field + ".path", "must name a file, not a directory (no trailing '/')");
    }
    if ((file.content() == null) == (file.source() == null)) {
      errors.add(
          field, "give exactly one of content (inline text) or source (an uploaded part's name)");
    } else if (file.content() != null) {
      errors.check(
          file.content().getBytes(StandardCharsets.UTF_8).length <= MAX_INLINE_BYTES,
          field + ".content",
          "must be at most 1 MiB; upload bigger files as a part and name it in source");
    } else {
      source(file.source(), field + ".source");
    }
    if (file.mode() != null) {
      errors.check(
          MODE.matcher(file.mode()).matches(),
          field + ".mode",
          "must be octal permission bits like '0644' or '755', was '" + file.mode() + "'");
    }
  }

  private void archive(ArchiveSpec archive, String field) {
    if (archive == null) {
      errors.add(field, "must be an object with source and dir");
      return;
    }
    if (archive.source() == null || archive.source().isBlank()) {
      errors.add(
          field + ".source",
          "is required: the name of the uploaded part holding the tar, tar.gz or zip");
    } else {
      source(archive.source(), field + ".source");
    }
    if (archive.dir() != null) {
      absolute(archive.dir(), field + ".dir");
    }
  }

  private void source(String source, String field) {
    errors.check(
        uploads.contains(source),
        field,
        "no uploaded part is named '"
            + source
            + "'; send the file as a multipart part with that name"
            + (uploads.isEmpty()
                ? " (this request had no uploads)"
                : " (uploaded: " + String.join(", ", new java.util.TreeSet<>(uploads)) + ")"));
  }

  private boolean absolute(String path, String field) {
    if (path == null || path.isEmpty()) {
      errors.add(field, "is required: an absolute path in the image, e.g. '/app'");
      return false;
    }
    if (!path.startsWith("/")
        || path.contains("\0")
        || List.of(path.split("/")).contains("..")
        || path.contains("//")) {
      errors.add(
          field,
          "must be an absolute path without '..' or '//', e.g. '/app/config', was '" + path + "'");
      return false;
    }
    return true;
  }

  private void strings(List<String> values, String field) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      errors.check(values.get(i) != null, field + "[" + i + "]", "must be a string");
    }
  }

  private void env(Map<String, String> env) {
    env.forEach(
        (k, v) -> {
          errors.check(
              ENV_NAME.matcher(k).matches(),
              "env." + k,
              "must be a name of letters, digits and '_', not starting with a digit");
          errors.check(v != null, "env." + k, "must have a string value");
        });
  }

  private void ports(List<String> ports) {
    for (int i = 0; i < ports.size(); i++) {
      String p = ports.get(i);
      var m = p == null ? null : PORT.matcher(p);
      if (m == null
          || !m.matches()
          || Integer.parseInt(m.group(1)) < 1
          || Integer.parseInt(m.group(1)) > 65535) {
        errors.add(
            "ports[" + i + "]",
            "must be a port from 1 to 65535, optionally with /tcp or /udp (e.g. 8080 or '53/udp'), was "
                + (p == null ? "null" : "'" + p + "'"));
      }
    }
  }
}
