package dev.vectorcache.inmemory;

import dev.vectorcache.core.id.PointId;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Compressed copies of a collection's vectors, by slot, for the first (approximate) pass of a
 * search; the collection rescores the best candidates with the originals. Implementations: {@link
 * ScalarInt8Index}, {@link ProductQuantizedIndex} and {@link BinaryIndex}.
 *
 * <p>Not thread-safe for writes (the collection's write lock guards them); scans may run from many
 * readers at once.
 */
interface QuantizedIndex extends AutoCloseable {
  /** Makes slots {@code [0, slots)} writable. */
  void ensureCapacity(int slots);

  /** Encodes the (prepared) vector of {@code slot}. */
  void put(int slot, float[] vector);

  /** Forgets {@code slot}. */
  void clear(int slot);

  /**
   * Called after every write batch; may recalibrate and re-encode every live vector from {@code
   * originals}.
   */
  void afterWrites(VectorStorage originals, PointId[] idBySlot, int slotLimit, int live);

  /**
   * Offers every live slot ({@code idBySlot[slot] != null}) that passes {@code filter} (if not
   * null) and, when {@code thresholded}, whose approximate score passes {@code threshold}, to
   * {@code top}, with its approximate score.
   */
  void scan(
      float[] query,
      PointId[] idBySlot,
      int slotLimit,
      @Nullable IntPredicate filter,
      boolean thresholded,
      float threshold,
      TopK top);

  /**
   * The approximate distance from {@code query} to the code of a slot (smaller = closer: the
   * negated approximate score when larger scores are better), for traversing the graph on codes.
   * Only valid while the caller holds the collection's read lock.
   */
  NodeDistance distanceFrom(float[] query);

  /** The approximate score (as {@link #scan} reports it) of a {@link #distanceFrom} distance. */
  float scoreOf(float distance);

  /** Candidates per wanted hit when the search does not say. */
  double defaultOversampling();

  long heapBytes();

  long mappedBytes();

  @Override
  void close();
}
