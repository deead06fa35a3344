/** Small in-memory test doubles of the core's ports, for the core's own unit tests. */
@NullMarked
package dev.vectorcache.core.testing;

import org.jspecify.annotations.NullMarked;
