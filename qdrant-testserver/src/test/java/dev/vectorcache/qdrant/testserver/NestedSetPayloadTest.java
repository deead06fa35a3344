package dev.vectorcache.qdrant.testserver;

import static dev.vectorcache.qdrant.testserver.Failures.failure;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SetPayload with a {@code key}, as Qdrant applies it: the payload is merged into the object at
 * that path, objects are made on the way, {@code []} sets into every element of an array and {@code
 * [N]} into one; OverwritePayload ignores the key. Point 1 starts with {@code {"a": {"x": 1},
 * "arr": [{"k": 1}, {"k": 2}], "s": "str"}}.
 */
class NestedSetPayloadTest extends ServerPerTest {
  @BeforeEach
  void collections() throws Exception {
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
        .get();
    client
        .upsertAsync(
            "c",
            List.of(
                PointStruct.newBuilder()
                    .setId(id(1))
                    .setVectors(vectors(1f, 0f))
                    .putPayload("a", object(Map.of("x", value(1))))
                    .putPayload(
                        "arr",
                        list(List.of(object(Map.of("k", value(1))), object(Map.of("k", value(2))))))
                    .putPayload("s", value("str"))
                    .build()))
        .get();
  }

  private static Value object(Map<String, Value> fields) {
    return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
  }

  private static SetPayloadPoints set(String key, String field, long v) {
    return SetPayloadPoints.newBuilder()
        .setCollectionName("c")
        .setWait(true)
        .putPayload(field, value(v))
        .setPointsSelector(
            PointsSelector.newBuilder().setPoints(Points.PointsIdsList.newBuilder().addIds(id(1))))
        .setKey(key)
        .build();
  }

  /** Point 1's payload as plain Java values. */
  private Map<String, Object> payload() throws Exception {
    return ProtoValues.toJava(
        client
            .retrieveAsync(
                "c",
                List.of(id(1)),
                WithPayloadSelectorFactory.enable(true),
                WithVectorsSelectorFactory.enable(false),
                null)
            .get()
            .get(0)
            .getPayloadMap());
  }

  @DisplayName("The payload is merged into the object at the key's path")
  @Test
  void mergesAtThePath() throws Exception {
    client.setPayloadAsync(set("a", "y", 2), null).get();
    client.setPayloadAsync(set("b.c", "z", 3), null).get();
    client.setPayloadAsync(set("arr[]", "m", 9), null).get();
    client.setPayloadAsync(set("arr[1]", "n", 5), null).get();
    client.setPayloadAsync(set("s.t", "u", 1), null).get();
    client.setPayloadAsync(set("arr[7]", "never", 0), null).get();
    assertThat(payload())
        .isEqualTo(
            Map.of(
                "a", Map.of("x", 1L, "y", 2L),
                "b", Map.of("c", Map.of("z", 3L)),
                "arr", List.of(Map.of("k", 1L, "m", 9L), Map.of("k", 2L, "m", 9L, "n", 5L)),
                "s", Map.of("t", Map.of("u", 1L))));
  }

  @DisplayName("OverwritePayload ignores the key; a malformed key is INVALID_ARGUMENT")
  @Test
  void overwriteIgnoresTheKeyAndBadKeysFail() throws Exception {
    client.overwritePayloadAsync(set("a.b", "only", 1), null).get();
    assertThat(payload()).isEqualTo(Map.of("only", 1L));

    StatusRuntimeException bad =
        failure(() -> client.setPayloadAsync(set("a..b", "x", 1), null).get());
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(bad.getStatus().getDescription()).contains("invalid payload path: a..b");
    assertThat(payload()).isEqualTo(Map.of("only", 1L));
  }
}
