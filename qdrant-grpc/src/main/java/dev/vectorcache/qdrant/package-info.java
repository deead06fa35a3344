/** A vector store over Qdrant with the official gRPC client (native non-blocking). */
@NullMarked
package dev.vectorcache.qdrant;

import org.jspecify.annotations.NullMarked;
