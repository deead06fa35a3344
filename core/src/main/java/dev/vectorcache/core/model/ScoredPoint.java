package dev.vectorcache.core.model;

import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search hit. {@code score} follows the collection's {@link Distance}: a similarity for Cosine
 * and Dot, a distance for Euclid and Manhattan. {@code vector} is {@code null} unless asked for.
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the array is copied in and out; equals/hashCode compare contents
public record ScoredPoint(
    PointId id, float score, Map<String, Object> payload, float @Nullable [] vector) {

  public ScoredPoint {
    Objects.requireNonNull(id, "id");
    payload = Payloads.copy(payload, "payload");
    vector = vector == null ? null : vector.clone();
  }

  /**
   * A point without its vector (the vector was not asked for). A factory rather than a {@code null}
   * argument: NullAway's standard mode cannot read the {@code float @Nullable []} of the
   * constructor from another module's class files.
   */
  public static ScoredPoint withoutVector(PointId id, float score, Map<String, Object> payload) {
    return new ScoredPoint(id, score, payload, null);
  }

  @Override
  public float @Nullable [] vector() {
    return vector == null ? null : vector.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ScoredPoint p
        && id.equals(p.id)
        && Float.compare(score, p.score) == 0
        && payload.equals(p.payload)
        && Arrays.equals(vector, p.vector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, score, payload, Arrays.hashCode(vector));
  }

  @Override
  public String toString() {
    return "ScoredPoint[id=" + id + ", score=" + score + ", payload=" + payload + "]";
  }
}
