package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vectorcache.core.exception.BackendTimeoutException;
import dev.vectorcache.core.exception.BackendUnavailableException;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.exception.ConfigurationException;
import dev.vectorcache.core.exception.InvalidInputException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Builds the picocli command line with masked output and the CLI's error handling. */
final class Cli {
  private Cli() {}

  /** Runs one command line; returns its exit code. Output goes through the context's masker. */
  static int execute(CliContext ctx, OutputStream out, OutputStream err, String... args) {
    ctx.masker().addArgumentSecrets(args);
    CommandLine cl = newCommandLine(ctx, out, err);
    try {
      return cl.execute(args);
    } finally {
      cl.getOut().flush();
      cl.getErr().flush();
    }
  }

  static CommandLine newCommandLine(CliContext ctx, OutputStream out, OutputStream err) {
    CommandLine cl = new CommandLine(new VectorCacheCli(ctx));
    cl.setOut(writer(out, ctx.masker()));
    cl.setErr(writer(err, ctx.masker()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setExecutionExceptionHandler(Cli::handleExecutionException);
    cl.setParameterExceptionHandler(Cli::handleParameterException);
    return cl;
  }

  private static PrintWriter writer(OutputStream s, Masker masker) {
    return new PrintWriter(
        new OutputStreamWriter(new MaskingOutputStream(s, masker), StandardCharsets.UTF_8), true);
  }

  private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
    CommandLine c = ex.getCommandLine();
    PrintWriter err = c.getErr();
    err.println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    Throwable t = unwrap(ex);
    int code = exitCode(t);
    // an invalid input file lists its bad lines, one per line
    String message = t instanceof JsonlInput.InvalidFile ? t.getMessage() : message(t);
    if (wantsJson(parseResult)) {
      ObjectNode doc = Json.object();
      doc.put("ok", false);
      doc.put("exitCode", code);
      if (t instanceof JsonlInput.InvalidFile invalid) {
        doc.put("error", invalid.summary());
        doc.put("invalidLineCount", invalid.invalidLines());
        ArrayNode lines = doc.putArray("invalidLines");
        for (JsonlInput.LineError e : invalid.errors()) {
          ObjectNode n = lines.addObject();
          n.put("line", e.line());
          if (e.column() > 0) {
            n.put("column", e.column());
          }
          n.put("error", e.message());
        }
      } else {
        doc.put("error", message);
      }
      commandLine.getOut().println(Json.pretty(doc));
      commandLine.getOut().flush();
    }
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
    Object root = commandLine.getCommandSpec().root().userObject();
    if (root instanceof VectorCacheCli cli && cli.verbosity() > 0) {
      t.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || (t instanceof UncheckedIOException && t.getCause() != null))
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static int exitCode(Throwable t) {
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    if (t instanceof ConfigurationException
        || t instanceof JsonlInput.InvalidFile
        || t instanceof InvalidInputException
        || t instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  /** One line that says what went wrong (masking happens in the output stream). */
  static String message(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    String prefix;
    if (t instanceof CliException || t instanceof InvalidInputException) {
      prefix = "";
    } else if (t instanceof ConfigurationException) {
      prefix = "configuration error: ";
    } else if (t instanceof BackendTimeoutException) {
      prefix = "timed out: ";
    } else if (t instanceof BackendUnavailableException) {
      prefix = "unavailable: ";
    } else if (t instanceof CollectionNotFoundException) {
      prefix = "";
    } else if (t instanceof dev.vectorcache.core.exception.VectorCacheException) {
      prefix = "";
    } else {
      prefix = t.getClass().getSimpleName() + ": ";
    }
    return oneLine(prefix + m);
  }

  static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static boolean wantsJson(ParseResult pr) {
    ParseResult p = pr;
    while (p != null) {
      if (p.hasMatchedOption("--json")) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }
}
