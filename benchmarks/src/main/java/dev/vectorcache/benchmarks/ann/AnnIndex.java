package dev.vectorcache.benchmarks.ann;

import java.util.Map;

/**
 * One index under test, built over an {@link AnnData}'s points (row {@code i} has id {@code i}).
 * Implementations are safe for concurrent searches.
 */
interface AnnIndex extends AutoCloseable {
  /** The ids of the {@code k} nearest points; {@code breadth} is the backend's search breadth. */
  int[] search(float[] query, int k, int breadth);

  /** The directory holding the index's files (memory-mapped ones among them). */
  java.nio.file.Path dir();

  /** Figures the backend reports about itself (bytes held, graph degree, …); may be empty. */
  Map<String, Object> figures();

  @Override
  void close();
}
