package dev.vectorcache.core.model;

import dev.vectorcache.core.id.PointId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point read back by id or by scroll. {@code vector} is {@code null} unless vectors were asked
 * for; {@code payload} is empty unless payload was asked for.
 */
@SuppressWarnings(
    "ArrayRecordComponent") // the array is copied in and out; equals/hashCode compare contents
public record RetrievedPoint(PointId id, Map<String, Object> payload, float @Nullable [] vector) {

  public RetrievedPoint {
    Objects.requireNonNull(id, "id");
    payload = Payloads.copy(payload, "payload");
    vector = vector == null ? null : vector.clone();
  }

  /**
   * A point without its vector (the vector was not asked for). A factory rather than a {@code null}
   * argument: NullAway's standard mode cannot read the {@code float @Nullable []} of the
   * constructor from another module's class files.
   */
  public static RetrievedPoint withoutVector(PointId id, Map<String, Object> payload) {
    return new RetrievedPoint(id, payload, null);
  }

  @Override
  public float @Nullable [] vector() {
    return vector == null ? null : vector.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RetrievedPoint p
        && id.equals(p.id)
        && payload.equals(p.payload)
        && Arrays.equals(vector, p.vector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, payload, Arrays.hashCode(vector));
  }

  @Override
  public String toString() {
    return "RetrievedPoint[id="
        + id
        + ", payload="
        + payload
        + (vector == null ? "" : ", dimension=" + vector.length)
        + "]";
  }
}
