/** Implementation classes of the embedded engine; not an API. */
@NullMarked
package dev.vectorcache.inmemory.internal;

import org.jspecify.annotations.NullMarked;
