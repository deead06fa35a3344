/** JMH benchmarks. */
@NullMarked
package dev.vectorcache.benchmarks;

import org.jspecify.annotations.NullMarked;
