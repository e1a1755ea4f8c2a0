package dev.berth.cli;

/** How a command prints what the API answered: {@code -o table|json|yaml}. */
enum Format {
  TABLE,
  JSON,
  YAML
}
