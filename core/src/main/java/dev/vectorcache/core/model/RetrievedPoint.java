package dev.vectorcache.core.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A point read back by id or by scroll. {@code vector} is {@code null} unless vectors were asked
 * for; {@code payload} is empty unless payload was asked for.
 */
public record RetrievedPoint(PointId id, Map<String, Object> payload, float[] vector) {

  public RetrievedPoint {
    Objects.requireNonNull(id, "id");
    payload = Payloads.copy(payload, "payload");
    vector = vector == null ? null : vector.clone();
  }

  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  @Override
  public boolean equals(Object o) {
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
