/**
 * Spring AI over vectorcache: a {@code VectorStore} over {@code VectorCache}, a {@code
 * ChatMemoryRepository} over the metadata store and a semantic-cache advisor for {@code
 * ChatClient}.
 */
@NullMarked
package dev.vectorcache.spring.ai;

import org.jspecify.annotations.NullMarked;
