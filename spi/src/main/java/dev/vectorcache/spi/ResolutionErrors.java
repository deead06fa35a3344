package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The messages of a failed resolution. Each speaks of one role only: a vector store error never
 * suggests {@code redis://} or a Redis client, a metadata store error never {@code grpc://} or
 * {@code qdrant-grpc}; and none asks to add an artifact that is already on the classpath.
 */
final class ResolutionErrors {
  private ResolutionErrors() {}

  static ConfigurationException unknownScheme(Role role, String scheme) {
    return new ConfigurationException(
        "unknown "
            + role.what()
            + " URL scheme '"
            + scheme
            + "': expected one of "
            + String.join(", ", role.knownSchemes())
            + " (for example "
            + role.examples()
            + ")");
  }

  static ConfigurationException noProvider(Role role, String scheme) {
    return new ConfigurationException(
        "no "
            + role.what()
            + " provider for scheme '"
            + scheme
            + "' on the classpath; add "
            + role.schemeArtifacts().get(scheme));
  }

  /** The named client is on the classpath but opens other schemes. */
  static ConfigurationException wrongScheme(
      Role role, String scheme, String client, Set<String> clientSchemes, List<String> names) {
    return new ConfigurationException(
        role.what()
            + " client '"
            + client
            + "' cannot open '"
            + scheme
            + ":' URLs: it opens "
            + String.join(", ", new TreeSet<>(clientSchemes))
            + " URLs only; "
            + (names.isEmpty()
                ? "no provider for '" + scheme + ":' is on the classpath either"
                : "name " + names + " instead (or no client, to take the default)"));
  }

  /** The named client is not on the classpath: name its artifact, or list this role's clients. */
  static ConfigurationException missingClient(
      Role role, String scheme, String client, List<String> names) {
    String key = client.toLowerCase(Locale.ROOT);
    String found = (names.isEmpty() ? "none" : names.toString()) + " for scheme '" + scheme + "'";
    String artifact = role.clientArtifacts().get(key);
    if (artifact != null) {
      return new ConfigurationException(
          "no "
              + role.what()
              + " provider named '"
              + client
              + "' on the classpath (found "
              + found
              + "); add "
              + artifact
              + " to the classpath");
    }
    String otherRole =
        role.other().clientArtifacts().containsKey(key)
            ? " ('" + client + "' opens " + role.other().what() + "s, not " + role.what() + "s)"
            : "";
    return new ConfigurationException(
        "unknown "
            + role.what()
            + " client '"
            + client
            + "'"
            + otherRole
            + ": known "
            + role.what()
            + " clients are "
            + new TreeSet<>(role.clientArtifacts().keySet())
            + "; found "
            + found);
  }
}
