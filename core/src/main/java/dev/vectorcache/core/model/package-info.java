/** Immutable domain values: points, vectors, payloads, collection and search settings. */
@NullMarked
package dev.vectorcache.core.model;

import org.jspecify.annotations.NullMarked;
