package dev.vectorcache.cli;

import dev.vectorcache.core.port.MetadataStore;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.spi.Backends;
import dev.vectorcache.spi.MetadataStoreConfig;
import dev.vectorcache.spi.MetadataStoreProvider;
import dev.vectorcache.spi.Resolution;
import dev.vectorcache.spi.VectorStoreConfig;
import dev.vectorcache.spi.VectorStoreProvider;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options that say which backends to use, shared by every command that opens a store. Flags win
 * over the environment ({@code REDIS_URL}, {@code QDRANT_URL}, {@code QDRANT_API_KEY}); with
 * neither, the embedded in-memory store is used.
 */
final class ConnectionOptions {
  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description =
          "Metadata store: redis://[user:password@]host:port/db, rediss://... (TLS), or memory:[NAME]"
              + " for the embedded store. Default: $REDIS_URL, else memory: (embedded).")
  @Nullable String redisUrl;

  @Option(
      names = "--qdrant-url",
      paramLabel = "URL",
      description =
          "Vector store: http(s)://host:6333 (gRPC port 6334 is used), grpc(s)://host:6334, or"
              + " memory:[NAME] for the embedded engine. Default: $QDRANT_URL, else memory:.")
  @Nullable String qdrantUrl;

  @Option(
      names = "--redis-client",
      paramLabel = "NAME",
      description =
          "Redis client to use: lettuce or jedis. Default: the highest-priority provider on the"
              + " classpath.")
  @Nullable String redisClient;

  @Option(
      names = "--qdrant-api-key",
      paramLabel = "KEY",
      description =
          "Qdrant API key. Prefer $QDRANT_API_KEY: a flag is visible in the process list. Never"
              + " printed.")
  @Nullable String qdrantApiKey;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Durations.class,
      description =
          "Deadline of each backend call (and of connecting), e.g. 500ms, 5s. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  Endpoint qdrantEndpoint(CliContext ctx) {
    return endpoint(qdrantUrl, "--qdrant-url", ctx.env("QDRANT_URL"), "QDRANT_URL");
  }

  Endpoint redisEndpoint(CliContext ctx) {
    return endpoint(redisUrl, "--redis-url", ctx.env("REDIS_URL"), "REDIS_URL");
  }

  private static Endpoint endpoint(
      @Nullable String flag, String flagName, @Nullable String env, String envName) {
    if (flag != null && !flag.isBlank()) {
      return new Endpoint(flag.trim(), flagName);
    }
    if (env != null && !env.isBlank()) {
      return new Endpoint(env.trim(), envName);
    }
    return new Endpoint("memory:", "default");
  }

  @Nullable String apiKey(CliContext ctx) {
    return qdrantApiKey != null && !qdrantApiKey.isBlank()
        ? qdrantApiKey
        : ctx.env("QDRANT_API_KEY");
  }

  VectorStoreConfig qdrantConfig(CliContext ctx) {
    Endpoint e = qdrantEndpoint(ctx);
    ctx.masker().addUrlSecrets(e.url());
    String key = apiKey(ctx);
    ctx.masker().addSecret(key);
    VectorStoreConfig.Builder b = VectorStoreConfig.builder().url(e.url()).timeout(timeout);
    if (key != null) {
      b.apiKey(key);
    }
    return b.build();
  }

  MetadataStoreConfig redisConfig(CliContext ctx) {
    Endpoint e = redisEndpoint(ctx);
    ctx.masker().addUrlSecrets(e.url());
    MetadataStoreConfig c =
        MetadataStoreConfig.builder()
            .url(e.url())
            .client(redisClient)
            .commandTimeout(timeout)
            .connectTimeout(timeout)
            .build();
    ctx.masker().addSecret(c.password());
    return c;
  }

  Resolution<VectorStoreProvider> resolveVectorStore(Backends backends, CliContext ctx) {
    return backends.resolveVectorStore(qdrantConfig(ctx));
  }

  Resolution<MetadataStoreProvider> resolveMetadataStore(Backends backends, CliContext ctx) {
    return backends.resolveMetadataStore(redisConfig(ctx));
  }

  VectorStore openVectorStore(Backends backends, CliContext ctx) {
    return backends.openVectorStore(qdrantConfig(ctx));
  }

  MetadataStore openMetadataStore(Backends backends, CliContext ctx) {
    return backends.openMetadataStore(redisConfig(ctx));
  }
}
