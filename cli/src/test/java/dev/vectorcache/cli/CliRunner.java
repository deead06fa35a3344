package dev.vectorcache.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vectorcache.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI in-process with captured stdout and stderr, a given environment and a mutable clock
 * that the demo's waits advance (so no test sleeps).
 */
final class CliRunner {
  final Map<String, String> env;
  final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  final List<Duration> sleeps = new ArrayList<>();
  boolean terminal;

  CliRunner() {
    this(Map.of());
  }

  CliRunner(Map<String, String> env) {
    this.env = env;
  }

  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }

    JsonNode json() {
      return Json.parse(out, "stdout");
    }
  }

  Result run(String... args) {
    CliContext ctx =
        new CliContext(
                env,
                clock,
                d -> {
                  sleeps.add(d);
                  clock.advance(d);
                },
                terminal,
                new Masker())
            .registerEnvSecrets();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.execute(ctx, out, err, args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result exec(String... args) {
    return new CliRunner().run(args);
  }
}
