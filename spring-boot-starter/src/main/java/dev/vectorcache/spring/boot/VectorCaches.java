package dev.vectorcache.spring.boot;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.VectorCacheBuilder;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.VectorParams;
import dev.vectorcache.core.port.AsyncMetadataStore;
import dev.vectorcache.core.port.AsyncVectorStore;
import dev.vectorcache.core.port.CollectionAliases;
import java.util.List;

/** Builds a {@link VectorCache} over the store beans from the properties and the customizers. */
final class VectorCaches {
  private static final String P = VectorCacheProperties.PREFIX;

  private VectorCaches() {}

  /** The collection configuration of {@code vectorcache.collection}. */
  static CollectionConfig collectionConfig(VectorCacheProperties.Collection c) {

    String expected =
        "an integer from 1 to " + VectorParams.MAX_DIMENSION + " (the embedding model's)";
    int dimension =
        PropertyChecks.required(P + ".collection.dimension", c.getDimension(), expected);
    if (dimension < 1 || dimension > VectorParams.MAX_DIMENSION) {
      throw PropertyChecks.invalid(P + ".collection.dimension", expected, dimension);
    }
    return c.getPreset().config(dimension, c.getDistance());
  }

  /**
   * A cache of {@code collection} over the two stores (which it does not close), with the
   * properties and then the customizers applied; not yet initialized.
   */
  static VectorCache build(
      VectorCacheProperties p,
      String collectionProperty,
      String collection,
      AsyncVectorStore vectors,
      AsyncMetadataStore metadata,
      List<VectorCacheBuilderCustomizer> customizers) {
    CollectionConfig config = collectionConfig(p.getCollection());
    VectorCacheBuilder b =
        VectorCache.builder()
            .collectionConfig(config)
            .vectorStore(vectors)
            .metadataStore(metadata)
            .ownsStores(false)
            .publishEvents(p.isPublishEvents());
    PropertyChecks.at(collectionProperty, () -> b.collection(collection));
    PropertyChecks.positive(P + ".max-ttl", p.getMaxTtl());
    PropertyChecks.at(P + ".max-ttl", () -> b.maxTtl(p.getMaxTtl()));
    PropertyChecks.positive(P + ".default-ttl", p.getDefaultTtl());
    PropertyChecks.at(P + ".default-ttl", () -> b.defaultTtl(p.getDefaultTtl()));
    PropertyChecks.at(P + ".sweep-interval", () -> b.sweepInterval(p.getSweepInterval()));
    PropertyChecks.at(
        P + ".write-back-queue-capacity",
        () -> b.writeBackQueueCapacity(p.getWriteBackQueueCapacity()));
    PropertyChecks.at(P + ".near-cache-entries", () -> b.nearCache(p.getNearCacheEntries()));
    if (p.getCollection().isBehindAlias()) {
      if (vectors.extension(CollectionAliases.class).isEmpty()) {
        throw PropertyChecks.invalid(
            P + ".collection.behind-alias",
            "false on a vector store without collection aliases (Capability.ALIASES)",
            true);
      }
      b.behindAlias(true);
    }
    for (VectorCacheBuilderCustomizer c : customizers) {
      c.customize(collection, b);
    }
    VectorCache cache = PropertyChecks.at(P + ".default-ttl", b::build);
    for (VectorCacheBuilderCustomizer c : customizers) {
      c.built(cache);
    }
    return cache;
  }

  /** Initializes {@code cache} (creates or verifies its collection); closes it on failure. */
  static void initialize(VectorCache cache, String collectionProperty) {
    try {
      PropertyChecks.at(
          collectionProperty,
          () -> {
            cache.initialize();
            return cache;
          });
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
  }
}
