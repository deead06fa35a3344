/**
 * Approximate nearest-neighbour benchmarks: cached datasets with exact ground truth, the embedded
 * engine's flat and HNSW indexes beside jvector and Lucene on identical data, the run driver and
 * its report.
 */
@NullMarked
package dev.vectorcache.benchmarks.ann;

import org.jspecify.annotations.NullMarked;
