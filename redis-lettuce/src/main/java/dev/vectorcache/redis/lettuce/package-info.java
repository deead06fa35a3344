/** A metadata store over Redis with the Lettuce client (native non-blocking). */
@NullMarked
package dev.vectorcache.redis.lettuce;

import org.jspecify.annotations.NullMarked;
