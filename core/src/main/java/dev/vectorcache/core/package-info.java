/**
 * The vector cache: the {@link dev.vectorcache.core.VectorCache} façade, built with {@link
 * dev.vectorcache.core.VectorCacheBuilder}, and the values it hands out.
 *
 * <p>The rules it keeps (write order, absolute TTL, hydration, the payload schema) are described in
 * {@code docs/architecture.md} of the source repository, the design's source of truth.
 */
@NullMarked
package dev.vectorcache.core;

import org.jspecify.annotations.NullMarked;
