package dev.vectorcache.cli;

/** A failure the CLI reports as one line, with the exit code to use. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  static CliException failure(String message) {
    return new CliException(ExitCodes.FAILURE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
