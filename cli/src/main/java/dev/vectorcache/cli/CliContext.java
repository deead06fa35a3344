package dev.vectorcache.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the commands take from the outside world, injectable so that tests run every command
 * in-process: the environment, the clock, how to wait, whether stderr is a terminal, and the masker
 * every output goes through.
 *
 * @param env environment variables ({@code REDIS_URL}, {@code QDRANT_URL}, {@code QDRANT_API_KEY})
 * @param clock time source of the caches the commands build
 * @param sleeper how the demo waits for an entry to expire; tests advance a clock instead
 * @param stderrIsTerminal whether progress bars are drawn without {@code --progress}
 * @param masker removes secrets from everything printed
 */
record CliContext(
    Map<String, String> env,
    Clock clock,
    Sleeper sleeper,
    boolean stderrIsTerminal,
    Masker masker) {

  /** Waits; the demo's only source of real-time delay. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  CliContext {
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(masker, "masker");
  }

  /** The real process: its environment, the system clock, real sleeps. */
  // release 17 has no Console.isTerminal(); the launcher's property decides first anyway
  @SuppressWarnings("SystemConsoleNull")
  static CliContext system() {
    // The POSIX launcher tells us when stderr is a terminal; System.console() is only a fallback
    // (it needs stdin and stdout to be terminals, not stderr).
    boolean tty =
        Boolean.getBoolean("vectorcache.stderr.tty")
            || (System.getProperty("vectorcache.stderr.tty") == null && System.console() != null);
    Masker masker = new Masker();
    CliContext ctx =
        new CliContext(
            System.getenv(), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), tty, masker);
    ctx.registerEnvSecrets();
    return ctx;
  }

  /** The value of an environment variable, or null when unset or blank. */
  @Nullable String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Registers the secrets the environment holds, so they are masked from the first byte. */
  CliContext registerEnvSecrets() {
    masker.addUrlSecrets(env("REDIS_URL"));
    masker.addUrlSecrets(env("QDRANT_URL"));
    masker.addSecret(env("QDRANT_API_KEY"));
    return this;
  }
}
