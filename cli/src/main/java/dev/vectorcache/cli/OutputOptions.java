package dev.vectorcache.cli;

import picocli.CommandLine.Option;

/** {@code --json}: one JSON document on stdout instead of text, for scripts. */
final class OutputOptions {
  @Option(
      names = "--json",
      description = "Print one JSON document on stdout instead of text (errors too), for scripts.")
  boolean json;
}
