/** Micrometer metrics for the caches: {@code MeterBinder}s bound to their listener hooks. */
@NullMarked
package dev.vectorcache.micrometer;

import org.jspecify.annotations.NullMarked;
