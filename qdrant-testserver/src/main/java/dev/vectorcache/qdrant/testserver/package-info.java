/** A Qdrant-compatible gRPC server over the embedded engine, for tests without Docker. */
@NullMarked
package dev.vectorcache.qdrant.testserver;

import org.jspecify.annotations.NullMarked;
