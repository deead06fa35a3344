/**
 * A semantic cache of LLM answers and an embedding cache, built on {@link
 * dev.vectorcache.core.VectorCache}.
 */
@NullMarked
package dev.vectorcache.semantic;

import org.jspecify.annotations.NullMarked;
