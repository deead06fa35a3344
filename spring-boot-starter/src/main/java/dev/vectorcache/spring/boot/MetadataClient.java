package dev.vectorcache.spring.boot;

import org.jspecify.annotations.Nullable;

/** Which Redis client opens the metadata store ({@code vectorcache.metadata-store.client}). */
public enum MetadataClient {
  /** The highest priority among the adapters on the classpath: Lettuce before Jedis. */
  AUTO(null),
  /** Lettuce (module vectorcache-redis-lettuce). */
  LETTUCE("lettuce"),
  /** Jedis (module vectorcache-redis-jedis). */
  JEDIS("jedis");

  private final @Nullable String provider;

  MetadataClient(@Nullable String provider) {
    this.provider = provider;
  }

  /** The provider name passed to the spi, or {@code null} for {@link #AUTO}. */
  public @Nullable String provider() {
    return provider;
  }
}
