package dev.vectorcache.spi;

/**
 * Settings that only one adapter understands (a Lettuce request queue, a Jedis pool size, Qdrant
 * retries). Each adapter module defines its own immutable implementation; an application passes it
 * with {@code builder().adapterOptions(options)} and the adapter reads it back with {@code
 * config.adapterOptions(TheOptions.class)}. Options for another adapter than the one {@link
 * Backends} chooses are a {@link dev.vectorcache.core.exception.ConfigurationException} naming
 * both.
 */
public interface AdapterOptions {
  /** The name of the provider these options are for ({@code "lettuce"}, {@code "jedis"}...). */
  String adapter();
}
