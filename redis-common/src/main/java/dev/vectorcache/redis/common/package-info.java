/**
 * Code shared by the Redis adapters ({@code vectorcache-redis-lettuce}, {@code
 * vectorcache-redis-jedis}): key and channel names, the JSON encoding of entries and events, TTL
 * checks, error mapping, {@code INFO} parsing and pub/sub subscription bookkeeping. It holds no
 * client library. This is not an application API: applications use the ports in {@code
 * vectorcache-core}, and these classes may change in any release.
 */
@NullMarked
package dev.vectorcache.redis.common;

import org.jspecify.annotations.NullMarked;
