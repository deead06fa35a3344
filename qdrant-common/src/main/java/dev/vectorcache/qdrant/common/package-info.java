/**
 * Shared code for the Qdrant adapter ({@code vectorcache-qdrant-grpc}) and the Qdrant test server
 * ({@code vectorcache-qdrant-testserver}): the codec of payload values between Java and Qdrant's
 * protobuf. Not an application API: it may change in any release.
 *
 * <p>Only the value codec is shared. The filter and collection-config mappings stay written twice,
 * once in the adapter and once in the server, on purpose: the test server is the only Qdrant in CI,
 * and one shared mapping would make a bug in it symmetric, hence invisible to the tests.
 */
@NullMarked
package dev.vectorcache.qdrant.common;

import org.jspecify.annotations.NullMarked;
