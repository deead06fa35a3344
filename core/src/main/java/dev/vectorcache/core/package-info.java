/**
 * The vector cache: the {@link dev.vectorcache.core.VectorCache} façade and the exceptions of the
 * library.
 */
@NullMarked
package dev.vectorcache.core;

import org.jspecify.annotations.NullMarked;
