package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A collection with several vectors per point, each in a space of its own (Qdrant's named vectors
 * and sparse vectors): for example a dense {@code "text"} vector, a dense {@code "image"} vector of
 * another dimension and a sparse {@code "bm25"} vector. Each point may hold any subset of them.
 *
 * <p>The dense name {@code ""} is the unnamed vector of a collection created with {@link
 * CollectionConfig}: a collection can have it and sparse vectors beside it. Names are unique across
 * both maps; sparse names are not empty. Maps keep their order.
 *
 * @param dense the dense vector spaces by name
 * @param sparse the sparse vector spaces by name
 * @param onDiskPayload keep payloads on disk, read on demand (for the whole collection)
 * @param optimizers optimizer settings (for the whole collection)
 */
public record MultiVectorConfig(
    Map<String, DenseVectorConfig> dense,
    Map<String, SparseVectorParams> sparse,
    boolean onDiskPayload,
    OptimizersConfig optimizers) {

  /** Checks and copies the maps. */
  public MultiVectorConfig {
    Objects.requireNonNull(optimizers, "optimizers");
    dense = copy(dense, "dense", true);
    sparse = copy(sparse, "sparse", false);
    for (String name : sparse.keySet()) {
      if (dense.containsKey(name)) {
        throw new InvalidInputException(
            "sparse", "names that are not dense vector names", name, "each name has one space");
      }
    }
  }

  /** Dense and sparse spaces with payloads in memory and the default optimizer settings. */
  public static MultiVectorConfig of(
      Map<String, DenseVectorConfig> dense, Map<String, SparseVectorParams> sparse) {
    return new MultiVectorConfig(dense, sparse, false, OptimizersConfig.DEFAULT);
  }

  /** The collection-level settings of a single-vector collection, with these spaces. */
  public static MultiVectorConfig from(CollectionConfig config) {
    return new MultiVectorConfig(
        Map.of("", DenseVectorConfig.from(config)),
        Map.of(),
        config.onDiskPayload(),
        config.optimizers());
  }

  /** Whether {@code name} is a dense or sparse space of this collection. */
  public boolean hasVector(String name) {
    return dense.containsKey(name) || sparse.containsKey(name);
  }

  /**
   * The dense space {@code name}, or an {@link InvalidInputException} naming {@code field}, the
   * collection's dense names, and whether {@code name} is a sparse space instead: the check every
   * store makes before any I/O.
   */
  public DenseVectorConfig denseSpace(String collection, String name, String field) {
    DenseVectorConfig d = dense.get(name);
    if (d == null) {
      throw new InvalidInputException(
          field,
          "a dense vector name of collection " + collection + ": " + dense.keySet(),
          name,
          sparse.containsKey(name) ? "'" + name + "' is a sparse vector" : null);
    }
    return d;
  }

  /** The sparse space {@code name}, or an {@link InvalidInputException} as {@link #denseSpace}. */
  public SparseVectorParams sparseSpace(String collection, String name, String field) {
    SparseVectorParams p = sparse.get(name);
    if (p == null) {
      throw new InvalidInputException(
          field,
          "a sparse vector name of collection " + collection + ": " + sparse.keySet(),
          name,
          dense.containsKey(name) ? "'" + name + "' is a dense vector" : null);
    }
    return p;
  }

  /** This configuration with one more dense space. */
  public MultiVectorConfig withDense(String name, DenseVectorConfig config) {
    Map<String, DenseVectorConfig> d = new LinkedHashMap<>(dense);
    d.put(name, config);
    return new MultiVectorConfig(d, sparse, onDiskPayload, optimizers);
  }

  /** This configuration with one more sparse space. */
  public MultiVectorConfig withSparse(String name, SparseVectorParams params) {
    Map<String, SparseVectorParams> s = new LinkedHashMap<>(sparse);
    s.put(name, params);
    return new MultiVectorConfig(dense, s, onDiskPayload, optimizers);
  }

  /** This configuration without the space {@code name}. */
  public MultiVectorConfig without(String name) {
    Map<String, DenseVectorConfig> d = new LinkedHashMap<>(dense);
    Map<String, SparseVectorParams> s = new LinkedHashMap<>(sparse);
    d.remove(name);
    s.remove(name);
    return new MultiVectorConfig(d, s, onDiskPayload, optimizers);
  }

  private static <V> Map<String, V> copy(Map<String, V> map, String field, boolean emptyAllowed) {
    Objects.requireNonNull(map, field);
    Map<String, V> out = new LinkedHashMap<>();
    for (Map.Entry<String, V> e : map.entrySet()) {
      String name = e.getKey();
      if (name == null || (!emptyAllowed && name.isEmpty())) {
        throw new InvalidInputException(
            field, "vector names that are not " + (name == null ? "null" : "empty"), name);
      }
      if (e.getValue() == null) {
        throw new InvalidInputException(field + "[" + name + "]", "the space's settings", null);
      }
      out.put(name, e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }
}
