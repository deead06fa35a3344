/**
 * A real Redis for integration tests ({@link dev.vectorcache.testkit.redis.RedisServerExtension},
 * {@link dev.vectorcache.testkit.redis.RedisServer}, built from {@link
 * dev.vectorcache.testkit.redis.RedisProcess}), a Redis Cluster ({@link
 * dev.vectorcache.testkit.redis.RedisCluster}) and a Sentinel group ({@link
 * dev.vectorcache.testkit.redis.RedisSentinelGroup}) with kill-and-await-failover, and the
 * reliability contracts every Redis adapter runs against them.
 */
@NullMarked
package dev.vectorcache.testkit.redis;

import org.jspecify.annotations.NullMarked;
