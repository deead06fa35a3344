/** Point identifiers, as Qdrant defines them: an unsigned 64-bit number or a UUID. */
@NullMarked
package dev.vectorcache.core.id;

import org.jspecify.annotations.NullMarked;
