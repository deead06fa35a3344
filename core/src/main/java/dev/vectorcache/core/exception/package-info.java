/**
 * The exceptions of the library: one unchecked root, {@link
 * dev.vectorcache.core.exception.VectorCacheException}, with subclasses a caller can act on.
 */
@NullMarked
package dev.vectorcache.core.exception;

import org.jspecify.annotations.NullMarked;
