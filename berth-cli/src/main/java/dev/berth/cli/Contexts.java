package dev.berth.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contexts file ({@code ~/.config/berth/config}, YAML like a kubeconfig): named pairs of a
 * server URL and a token, and which one is current. Written readable by its owner only, as it holds
 * tokens.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Contexts(String current, List<Context> contexts) {

  /** One server and the token to use with it. */
  record Context(String name, String server, String token) {}

  static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  Contexts {
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
  }

  static Contexts read(Path file) {
    if (!Files.exists(file)) {
      return new Contexts(null, List.of());
    }
    try {
      Contexts c = YAML.readValue(file.toFile(), Contexts.class);
      return c == null ? new Contexts(null, List.of()) : c;
    } catch (IOException e) {
      throw new CliException(
          "cannot read the contexts file " + file + ": " + oneLine(e.getMessage()));
    }
  }

  void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      YAML.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException("cannot write the contexts file " + file + ": " + e.getMessage());
    }
  }

  Optional<Context> find(String name) {
    return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** These contexts with {@code context} added or replacing the one of its name, and current. */
  Contexts with(Context context) {
    List<Context> all = new ArrayList<>(contexts);
    all.removeIf(c -> c.name().equals(context.name()));
    all.add(context);
    return new Contexts(context.name(), all);
  }

  Contexts use(String name) {
    if (find(name).isEmpty()) {
      throw new CliException(
          "no context named '" + name + "'; 'berth context list' shows the contexts");
    }
    return new Contexts(name, contexts);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("").strip();
  }
}
