package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth completion bash|zsh}: the completion script; {@code source <(berth completion
 * bash)}. The same script serves zsh through its bash completion layer.
 */
@Command(
    name = "completion",
    description = "Print the shell completion script: source <(berth completion bash)")
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    BASH,
    ZSH
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  @Override
  public Integer call() {
    BerthCli root = (BerthCli) spec.root().userObject();
    String script = AutoComplete.bash("berth", BerthCli.commandLine(root.io()));
    root.io().out().print(script);
    return 0;
  }
}
