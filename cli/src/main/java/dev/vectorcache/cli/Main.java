package dev.vectorcache.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Entry point of {@code vectorcache.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    configureLogging(args);
    CliContext ctx = CliContext.system();
    ctx.masker().addArgumentSecrets(args);
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    OutputStream err = new FileOutputStream(FileDescriptor.err);
    // Log lines (slf4j-simple writes to System.err) and stray prints are masked too.
    System.setErr(
        new PrintStream(new MaskingOutputStream(err, ctx.masker()), true, StandardCharsets.UTF_8));
    System.setOut(
        new PrintStream(new MaskingOutputStream(out, ctx.masker()), true, StandardCharsets.UTF_8));
    int code = Cli.execute(ctx, out, err, args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * Quiet by default (warnings and errors only, on stderr); {@code -v} info, {@code -vv} debug. Set
   * before any logger exists, hence the scan of the raw arguments.
   */
  static void configureLogging(String[] args) {
    int v = 0;
    for (String a : args) {
      if (a.equals("--verbose")) {
        v++;
      } else if (a.matches("-v+")) {
        v += a.length() - 1;
      }
    }
    String level = v >= 2 ? "debug" : v == 1 ? "info" : "warn";
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
    // The Qdrant client logs every failed call (with a stack trace) and warns when it cannot read
    // the server's version; the CLI reports each failure itself, in one line.
    setIfAbsent("org.slf4j.simpleLogger.log.io.qdrant", v >= 1 ? level : "off");
    // gRPC logs through java.util.logging: keep it as quiet as the rest.
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Level jul =
        v >= 2
            ? java.util.logging.Level.FINE
            : v == 1 ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING;
    root.setLevel(jul);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(jul);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
