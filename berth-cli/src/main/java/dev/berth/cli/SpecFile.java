package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An app's spec from a YAML or JSON file ({@code -} for standard input). */
final class SpecFile {
  private SpecFile() {}

  static ObjectNode read(String file, InputStream stdin) {
    try {
      JsonNode n =
          "-".equals(file)
              ? Contexts.YAML.readTree(stdin)
              : Contexts.YAML.readTree(Files.newInputStream(Path.of(file)));
      if (n == null || !n.isObject()) {
        throw new CliException(file + ": must hold one object (an app's spec), in YAML or JSON");
      }
      return (ObjectNode) n;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CliException(file + ": no such file");
    } catch (IOException e) {
      throw new CliException(file + ": not YAML or JSON: " + Contexts.oneLine(e.getMessage()));
    }
  }

  static String name(ObjectNode spec, String file) {
    String name = spec.path("name").asText("");
    if (name.isBlank()) {
      throw new CliException(file + ": the spec must have a 'name'");
    }
    return name;
  }
}
