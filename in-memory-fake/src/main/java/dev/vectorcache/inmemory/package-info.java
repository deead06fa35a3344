/**
 * The embedded engine: in-process vector and metadata stores that follow Qdrant's and Redis's
 * semantics.
 */
@NullMarked
package dev.vectorcache.inmemory;

import org.jspecify.annotations.NullMarked;
