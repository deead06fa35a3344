package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point of a collection with named or sparse vectors ({@link MultiVectorConfig}): its dense
 * vectors by name, its sparse vectors by name and its payload. Any subset of the collection's
 * vectors may be present. Immutable: vectors and payload are copied in and out.
 *
 * <p>Upserted, it replaces the whole point (payload and every vector, so a vector it does not hold
 * is removed); given to {@code updateVectors}, only the vectors it holds are replaced. Returned by
 * {@code retrieve}, it holds the vectors asked for (none unless asked).
 *
 * @param id the point id
 * @param dense dense vectors by name (finite components; dimensions are checked by the store)
 * @param sparse sparse vectors by name
 * @param payload the JSON payload
 */
public record MultiVectorPoint(
    PointId id,
    Map<String, float[]> dense,
    Map<String, SparseVector> sparse,
    Map<String, Object> payload) {

  public MultiVectorPoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dense, "dense");
    Objects.requireNonNull(sparse, "sparse");
    Map<String, float[]> d = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> e : dense.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "dense vector name");
      d.put(name, Vectors.checkFinite(e.getValue(), "dense[" + name + "]").clone());
    }
    Map<String, SparseVector> s = new LinkedHashMap<>();
    for (Map.Entry<String, SparseVector> e : sparse.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "sparse vector name");
      if (e.getValue() == null) {
        throw new InvalidInputException("sparse[" + name + "]", "a sparse vector", null);
      }
      if (d.containsKey(name)) {
        throw new InvalidInputException(
            "sparse[" + name + "]", "a name not also given a dense vector", name);
      }
      s.put(name, e.getValue());
    }
    dense = Collections.unmodifiableMap(d);
    sparse = Collections.unmodifiableMap(s);
    payload = Payloads.copy(payload, "payload");
  }

  /** A point with the given vectors and payload. */
  public static MultiVectorPoint of(
      PointId id,
      Map<String, float[]> dense,
      Map<String, SparseVector> sparse,
      Map<String, ?> payload) {
    return new MultiVectorPoint(id, dense, sparse, Payloads.copy(payload, "payload"));
  }

  /** The dense vectors by name; each array a copy. */
  @Override
  public Map<String, float[]> dense() {
    Map<String, float[]> out = new LinkedHashMap<>();
    dense.forEach((k, v) -> out.put(k, v.clone()));
    return Collections.unmodifiableMap(out);
  }

  /** The dense vector {@code name} (a copy), or {@code null} when the point has none. */
  public float @Nullable [] dense(String name) {
    float[] v = dense.get(name);
    return v == null ? null : v.clone();
  }

  /** The names of the point's vectors, dense then sparse. */
  public java.util.Set<String> vectorNames() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>(dense.keySet());
    names.addAll(sparse.keySet());
    return Collections.unmodifiableSet(names);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof MultiVectorPoint p)
        || !id.equals(p.id)
        || !sparse.equals(p.sparse)
        || !payload.equals(p.payload)
        || !dense.keySet().equals(p.dense.keySet())) {
      return false;
    }
    for (Map.Entry<String, float[]> e : dense.entrySet()) {
      if (!Arrays.equals(e.getValue(), p.dense.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(id, sparse, payload);
    for (Map.Entry<String, float[]> e : dense.entrySet()) {
      h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return "MultiVectorPoint[id="
        + id
        + ", dense="
        + dense.keySet()
        + ", sparse="
        + sparse.keySet()
        + ", payload="
        + payload
        + "]";
  }
}
