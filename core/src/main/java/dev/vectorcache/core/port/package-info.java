/**
 * The two ports, each in a blocking and a {@code CompletableFuture} form: the vector store and the
 * metadata store.
 */
@NullMarked
package dev.vectorcache.core.port;

import org.jspecify.annotations.NullMarked;
