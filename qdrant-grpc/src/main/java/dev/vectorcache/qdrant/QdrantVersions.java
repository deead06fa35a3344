package dev.vectorcache.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.VersionsCompatibilityChecker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client/server version check that the official client makes on open, done on the store's own
 * health call: the client's check is a second, blocking health call without a deadline.
 */
final class QdrantVersions {
  private static final Logger LOG = LoggerFactory.getLogger(QdrantVersions.class);

  /** The official client's version, from its jar's manifest; null when the jar has none. */
  static final @Nullable String CLIENT = QdrantClient.class.getPackage().getImplementationVersion();

  private QdrantVersions() {}

  /** Whether this server version works with the client, as the official client judges it. */
  static boolean compatible(@Nullable String clientVersion, String serverVersion) {
    return clientVersion == null
        || serverVersion.isEmpty()
        || VersionsCompatibilityChecker.isCompatible(clientVersion, serverVersion);
  }

  /** Logs one warning when the server at {@code target} is of an incompatible version. */
  static void warnIfIncompatible(String serverVersion, String target) {
    if (!compatible(CLIENT, serverVersion)) {
      LOG.warn(
          "Qdrant at {} runs version {}, which the Qdrant Java client {} may not work with;"
              + " use matching versions, or turn this check off with"
              + " QdrantGrpcOptions.checkCompatibility(false)",
          target,
          serverVersion,
          CLIENT);
    }
  }
}
