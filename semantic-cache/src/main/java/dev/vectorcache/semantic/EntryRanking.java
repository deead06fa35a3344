package dev.vectorcache.semantic;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.exception.UnsupportedCapabilityException;
import dev.vectorcache.core.model.Capability;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * PLACEHOLDER with the agreed members only, so that {@link SemanticCache} compiles and runs; the
 * size bounds (recency or frequency in Redis sorted sets, asynchronous eviction) are written
 * separately and replace this file when merged. It checks the capability as the real one does and
 * otherwise does nothing.
 */
final class EntryRanking implements AutoCloseable {
  private static final EntryRanking DISABLED = new EntryRanking();

  private EntryRanking() {}

  static EntryRanking disabled() {
    return DISABLED;
  }

  static EntryRanking create(
      VectorCache cache,
      String collection,
      Eviction eviction,
      long maxEntries,
      long maxPerScope,
      List<SemanticCacheListener> listeners) {
    if (!cache.metadataStore().isSupported(Capability.SCORED_SETS)) {
      throw new UnsupportedCapabilityException(
          "maxEntries needs a metadata store with sorted sets (Capability.SCORED_SETS)");
    }
    return new EntryRanking();
  }

  void onPut(String scopeHash, String key) {}

  void onHit(String scopeHash, String key) {}

  CompletableFuture<Void> forgetScope(String scopeHash) {
    return CompletableFuture.completedFuture(null);
  }

  CompletableFuture<Void> clear() {
    return CompletableFuture.completedFuture(null);
  }

  CompletableFuture<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
