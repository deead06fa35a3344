package dev.vectorcache.cli;

import dev.vectorcache.spi.Backends;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the context, {@code --json}, stdout and stderr. */
abstract class BaseCommand implements Callable<Integer> {
  @ParentCommand VectorCacheCli root;

  @Spec CommandSpec spec;

  @Mixin OutputOptions output;

  CliContext ctx() {
    return root.context();
  }

  boolean json() {
    return output.json;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Backends backends() {
    return Backends.discover(BaseCommand.class.getClassLoader());
  }

  /** A note on stderr in text mode; in JSON mode notes go into the document instead. */
  void note(String text) {
    err().println("note: " + text);
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } finally {
      out().flush();
      err().flush();
    }
  }

  abstract int run() throws Exception;

  static final String PRIVATE_MEMORY_NOTE =
      "the embedded store (memory:) lives inside this one process: it starts empty and its data"
          + " is gone when the command exits. Keep it in a directory with --qdrant-url"
          + " 'memory:?path=DIR', use --qdrant-url/--redis-url (or QDRANT_URL/REDIS_URL) for a"
          + " server, or run load and search in one process with 'search --load FILE'.";
}
