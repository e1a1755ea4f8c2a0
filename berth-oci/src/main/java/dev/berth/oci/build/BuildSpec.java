package dev.berth.oci.build;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to build, Dockerfile-free: a base ({@code base} image reference, {@code scratch}, or the
 * output of a named {@code template}), layers of files and archives stacked low to high, and the
 * image's run-time configuration. Immutable; {@link #validate} names every bad field.
 *
 * <p>{@code files} and {@code archives} at the top level are a shorthand for one more layer, named
 * {@code app}, on top of {@code layers}.
 *
 * @param image the reference to push to, with a tag, e.g. {@code 127.0.0.1:5000/team/web:1}
 * @param base the base image reference, or {@code scratch}; {@code null} when {@code template} is
 *     given
 * @param template the name of a build template whose latest image is the base; {@code null} with
 *     {@code base}
 * @param layers layer groups, lowest first
 * @param files shorthand: files of the top {@code app} layer
 * @param archives shorthand: archives of the top {@code app} layer
 * @param workdir absolute working directory, or {@code null} to keep the base's
 * @param entrypoint the entrypoint, or {@code null} to keep the base's
 * @param cmd the command (arguments to the entrypoint), or {@code null} to keep the base's
 * @param env environment variables added to the base's
 * @param ports exposed ports: {@code 8080}, {@code 8080/tcp} or {@code 53/udp}
 * @param user the user (name or uid[:gid]) to run as, or {@code null} to keep the base's
 * @param labels image labels
 */
public record BuildSpec(
    String image,
    String base,
    String template,
    List<LayerSpec> layers,
    List<FileSpec> files,
    List<ArchiveSpec> archives,
    String workdir,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    List<String> ports,
    String user,
    Map<String, String> labels) {
  /** The base that means "no base image". */
  public static final String SCRATCH = "scratch";

  /** The name of the layer the top-level {@code files} and {@code archives} go into. */
  public static final String APP_LAYER = "app";

  public BuildSpec {
    layers = listOf(layers);
    files = listOf(files);
    archives = listOf(archives);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    ports = listOf(ports);
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** The layers to build, lowest first: {@code layers}, then the {@code app} shorthand if any. */
  public List<LayerSpec> allLayers() {
    if (files.isEmpty() && archives.isEmpty()) {
      return layers;
    }
    List<LayerSpec> all = new ArrayList<>(layers);
    all.add(new LayerSpec(APP_LAYER, files, archives));
    return List.copyOf(all);
  }

  /** The names of the uploaded parts this spec refers to. */
  public Set<String> sources() {
    Set<String> names = new java.util.TreeSet<>();
    for (LayerSpec layer : allLayers()) {
      if (layer == null) {
        continue;
      }
      layer.files().stream()
          .filter(f -> f != null && f.source() != null)
          .forEach(f -> names.add(f.source()));
      layer.archives().stream()
          .filter(a -> a != null && a.source() != null)
          .forEach(a -> names.add(a.source()));
    }
    return names;
  }

  /** The same spec pushed to another reference. */
  public BuildSpec withImage(String newImage) {
    return new BuildSpec(
        newImage,
        base,
        template,
        layers,
        files,
        archives,
        workdir,
        entrypoint,
        cmd,
        env,
        ports,
        user,
        labels);
  }

  /**
   * Checks every field; the uploaded parts named by {@code source} fields must be among {@code
   * uploads}.
   *
   * @throws dev.berth.core.support.ValidationException listing each bad field with its fix
   */
  public void validate(Set<String> uploads) {
    new BuildSpecValidator(uploads).validate(this);
  }

  /**
   * An unmodifiable copy that, unlike {@link List#copyOf}, keeps {@code null} elements for
   * validation.
   */
  static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
