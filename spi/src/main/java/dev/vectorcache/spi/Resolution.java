package dev.vectorcache.spi;

import java.util.List;
import java.util.Objects;

/**
 * The provider {@link Backends} chose for a config, and why, in words fit for a log or the CLI.
 *
 * @param provider the chosen provider
 * @param reason why it was chosen
 * @param candidates names of every provider that claims the scheme
 */
public record Resolution<P>(P provider, String reason, List<String> candidates) {
  public Resolution {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(reason, "reason");
    candidates = List.copyOf(candidates);
  }
}
