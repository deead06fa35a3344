package dev.vectorcache.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code vectorcache} command: a holder of the subcommands and of the {@link CliContext}. */
@Command(
    name = "vectorcache",
    mixinStandardHelpOptions = true,
    versionProvider = VectorCacheCli.Version.class,
    description = {
      "A low-memory vector cache: vectors in Qdrant, metadata in Redis.",
      "With no URLs every command uses the embedded in-memory engine, so it works with no servers.",
    },
    subcommands = {
      CheckCommand.class,
      DemoCommand.class,
      InfoCommand.class,
      BackendsCommand.class,
      LoadCommand.class,
      SearchCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok (for check: every backend reachable)",
      "  1  failure: a backend unreachable or failing, a collection missing",
      "  2  usage error: a bad option, URL, duration, vector, filter or input file",
      "",
      "Environment: REDIS_URL, QDRANT_URL, QDRANT_API_KEY (flags win).",
      "Docs: docs/cli.md"
    })
final class VectorCacheCli implements Callable<Integer> {
  private final CliContext context;

  @Spec CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log more on stderr (-v info, -vv debug) and print stack traces of errors.")
  boolean[] verbose = new boolean[0];

  VectorCacheCli(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  int verbosity() {
    return verbose == null ? 0 : verbose.length;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("vectorcache: a command is required");
    spec.commandLine().usage(err);
    return ExitCodes.USAGE;
  }

  /** The version from the jar manifest ({@code dev} when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VectorCacheCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "vectorcache " + (v == null ? "dev" : v),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
