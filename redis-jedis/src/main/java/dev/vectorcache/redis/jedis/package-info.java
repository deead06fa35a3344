/** A metadata store over Redis with the Jedis client (pooled, blocking). */
@NullMarked
package dev.vectorcache.redis.jedis;

import org.jspecify.annotations.NullMarked;
