/**
 * LangChain4j over vectorcache: an {@code EmbeddingStore} over a {@code VectorCache}, with the
 * mapping of LangChain4j's filters and relevance scores (docs/langchain4j.md).
 */
@NullMarked
package dev.vectorcache.langchain4j;

import org.jspecify.annotations.NullMarked;
