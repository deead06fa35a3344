package dev.vectorcache.cli;

/** The exit codes of every command; documented in {@code docs/cli.md}. */
final class ExitCodes {
  /** The command did what it was asked; for {@code check}, every backend was reachable. */
  static final int OK = 0;

  /** A backend was unreachable or failed, or the collection asked for does not exist. */
  static final int FAILURE = 1;

  /**
   * The command line or its input was wrong: an unknown option, a malformed URL, duration, vector,
   * filter or input file, a scheme no adapter on the classpath handles, a dimension mismatch.
   */
  static final int USAGE = 2;

  private ExitCodes() {}
}
