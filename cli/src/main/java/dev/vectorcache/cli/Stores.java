package dev.vectorcache.cli;

import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.VectorCacheBuilder;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.Resolution;
import dev.vectorcache.spi.VectorStoreProvider;
import java.io.PrintWriter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The two stores a command works with, opened from the connection options; closes both. */
final class Stores implements AutoCloseable {
  final Endpoint qdrant;
  final Endpoint redis;
  final Resolution<VectorStoreProvider> vectorResolution;
  final @Nullable Resolution<MetadataStoreProvider> metadataResolution;
  final VectorStore vectors;
  final @Nullable MetadataStore metadata;
  private final CliContext ctx;

  private Stores(
      Endpoint qdrant,
      Endpoint redis,
      Resolution<VectorStoreProvider> vr,
      @Nullable Resolution<MetadataStoreProvider> mr,
      VectorStore vectors,
      @Nullable MetadataStore metadata,
      CliContext ctx) {
    this.qdrant = qdrant;
    this.redis = redis;
    this.vectorResolution = vr;
    this.metadataResolution = mr;
    this.vectors = vectors;
    this.metadata = metadata;
    this.ctx = ctx;
  }

  /** Opens the vector store, and the metadata store when {@code withMetadata}. */
  static Stores open(ConnectionOptions c, CliContext ctx, Backends backends, boolean withMetadata) {
    Resolution<VectorStoreProvider> vr = c.resolveVectorStore(backends, ctx);
    Resolution<MetadataStoreProvider> mr =
        withMetadata ? c.resolveMetadataStore(backends, ctx) : null;
    VectorStore v = vr.provider().open(c.qdrantConfig(ctx));
    MetadataStore m = null;
    try {
      if (mr != null) { // withMetadata
        m = mr.provider().open(c.redisConfig(ctx));
      }
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
    return new Stores(c.qdrantEndpoint(ctx), c.redisEndpoint(ctx), vr, mr, v, m, ctx);
  }

  /** Whether the vector store is the embedded one private to this process. */
  boolean privateMemory() {
    return qdrant.isPrivateMemory();
  }

  /** A cache over these stores; closing it leaves the stores open. */
  VectorCache cache(String collection, CollectionConfig config) {
    return cacheBuilder(collection, config).build();
  }

  /** A cache builder over these stores, on the context's clock, that leaves the stores open. */
  VectorCacheBuilder cacheBuilder(String collection, CollectionConfig config) {
    return VectorCache.builder()
        .collection(collection)
        .collectionConfig(config)
        .vectorStore(vectors)
        .metadataStore(Objects.requireNonNull(metadata, "metadataStore"))
        .clock(ctx.clock())
        .ownsStores(false);
  }

  void printHeader(PrintWriter out) {
    out.println(
        "vector store:   "
            + qdrant.describe(ctx.masker(), "--qdrant-url", "QDRANT_URL")
            + " -> "
            + vectorResolution.provider().name());
    if (metadataResolution != null) {
      out.println(
          "metadata store: "
              + redis.describe(ctx.masker(), "--redis-url", "REDIS_URL")
              + " -> "
              + metadataResolution.provider().name());
    }
  }

  com.fasterxml.jackson.databind.node.ObjectNode json() {
    var n = Json.object();
    var v = n.putObject("vectorStore");
    v.put("url", qdrant.masked(ctx.masker()));
    v.put("urlSource", qdrant.source());
    v.put("provider", vectorResolution.provider().name());
    if (metadataResolution != null) {
      var m = n.putObject("metadataStore");
      m.put("url", redis.masked(ctx.masker()));
      m.put("urlSource", redis.source());
      m.put("provider", metadataResolution.provider().name());
    }
    return n;
  }

  @Override
  public void close() {
    try {
      if (metadata != null) {
        metadata.close();
      }
    } finally {
      vectors.close();
    }
  }
}
