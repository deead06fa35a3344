package dev.vectorcache.core.model;

import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point to upsert: id, dense vector and JSON payload. Immutable: the vector and payload are
 * copied in and out.
 *
 * <p>The vector must be non-empty with finite components; the collection's dimension is checked by
 * the store.
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the array is copied in and out; equals/hashCode compare contents
public record PointStruct(PointId id, float[] vector, Map<String, Object> payload) {

  public PointStruct {
    Objects.requireNonNull(id, "id");
    vector = Vectors.checkFinite(vector, "vector").clone();
    payload = Payloads.copy(payload, "payload");
  }

  public static PointStruct of(PointId id, float[] vector, Map<String, ?> payload) {
    // the constructor's copy of an already-copied payload returns it as is: one copy in all
    return new PointStruct(id, vector, Payloads.copy(payload, "payload"));
  }

  public static PointStruct of(long id, float[] vector) {
    return new PointStruct(PointId.of(id), vector, Map.of());
  }

  /** A copy of the vector. */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** The dimension of the vector. */
  public int dimension() {
    return vector.length;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PointStruct p
        && id.equals(p.id)
        && Arrays.equals(vector, p.vector)
        && payload.equals(p.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(vector), payload);
  }

  @Override
  public String toString() {
    return "PointStruct[id=" + id + ", dimension=" + vector.length + ", payload=" + payload + "]";
  }
}
