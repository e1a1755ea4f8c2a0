package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every command takes: the output format and the context to use. */
final class Common {
  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE})")
  Format output;

  @Option(
      names = "--context",
      description = "the context to use instead of the current one (see 'berth context list')")
  String context;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  Io io() {
    return ((BerthCli) mixee.root().userObject()).io();
  }

  Api api() {
    return new Api(Target.resolve(io(), context));
  }

  void print(JsonNode answer, List<Column> columns) {
    Output.print(io().out(), output, answer, columns);
  }

  /** A short confirmation in table mode; the object itself with -o json|yaml. */
  void done(JsonNode answer, String sentence) {
    if (output == Format.TABLE) {
      io().out().println(sentence);
    } else {
      print(answer, List.of());
    }
  }
}
