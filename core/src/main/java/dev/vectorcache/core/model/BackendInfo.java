package dev.vectorcache.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend says about itself when pinged.
 *
 * @param backend the kind of backend ({@code "redis"}, {@code "qdrant"}, {@code "memory"})
 * @param client the client library and adapter ({@code "lettuce"}, {@code "jedis"}, ...)
 * @param serverVersion the server's version, or {@code "embedded"}
 * @param roundTrip how long the ping took
 * @param details other facts worth showing (never secrets)
 */
public record BackendInfo(
    String backend,
    String client,
    String serverVersion,
    Duration roundTrip,
    Map<String, String> details) {
  public BackendInfo {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverVersion, "serverVersion");
    Objects.requireNonNull(roundTrip, "roundTrip");
    details = Map.copyOf(details == null ? Map.of() : details);
  }
}
