package dev.berth.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code berth}: the command line of Berth, a client of its REST API. Exit codes: 0 done, 1 an
 * error (one line on stderr), 2 a wrong command line; {@code releases watch} and {@code tasks run}
 * have their own (see their help).
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = BerthCli.Version.class,
    description =
        "The command line of Berth: apps, releases, instances, tasks, images, nodes, events.",
    subcommands = {
      LoginCommand.class,
      ContextCommand.class,
      AppsCommand.class,
      ReleasesCommand.class,
      InstancesCommand.class,
      TasksCommand.class,
      RunsCommand.class,
      ImagesCommand.class,
      NodesCommand.class,
      EventsCommand.class,
      CompletionCommand.class
    })
public final class BerthCli implements Runnable {
  private final Io io;

  @Spec CommandSpec spec;

  BerthCli(Io io) {
    this.io = io;
  }

  Io io() {
    return io;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    System.exit(run(Io.system(), args));
  }

  /** Runs one command line and answers its exit code; what it prints goes to {@code io}. */
  public static int run(Io io, String... args) {
    return commandLine(io).execute(args);
  }

  static CommandLine commandLine(Io io) {
    CommandLine cl = new CommandLine(new BerthCli(io));
    cl.setOut(new PrintWriter(io.out(), true));
    cl.setErr(new PrintWriter(io.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(BerthCli::execute);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          io.out().flush();
          if (e instanceof CliException c) {
            io.err().println("berth: " + c.getMessage());
            return c.exitCode();
          }
          io.err().println("berth: " + e);
          return 1;
        });
    return cl;
  }

  /** Runs the last command named; a group named without one of its commands is a usage error. */
  private static int execute(CommandLine.ParseResult parsed) {
    CommandLine last = parsed.asCommandLineList().getLast();
    if (!last.getSubcommands().isEmpty()
        && !(last.getCommand() instanceof Runnable)
        && !(last.getCommand() instanceof java.util.concurrent.Callable)
        && !last.isUsageHelpRequested()
        && !last.isVersionHelpRequested()) {
      throw new CommandLine.ParameterException(
          last, "name one of the commands of '" + last.getCommandName() + "'");
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** The version of the jar, from its manifest when built. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BerthCli.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (v == null ? "(development)" : v)};
    }
  }
}
