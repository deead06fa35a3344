/**
 * A real Redis for integration tests ({@link dev.vectorcache.testkit.redis.RedisServerExtension},
 * {@link dev.vectorcache.testkit.redis.RedisServer}, built from {@link
 * dev.vectorcache.testkit.redis.RedisProcess}) and the reliability contracts every Redis adapter
 * runs against it.
 */
@NullMarked
package dev.vectorcache.testkit.redis;

import org.jspecify.annotations.NullMarked;
