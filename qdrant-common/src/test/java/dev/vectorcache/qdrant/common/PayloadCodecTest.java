package dev.vectorcache.qdrant.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.Payloads;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadCodecTest {

  private static Map<String, Object> roundTrip(Map<String, ?> payload) {
    Map<String, Value> proto = PayloadCodec.toProto(payload, "payload");
    // through the wire format too, as both the adapter and the server see it
    Struct parsed;
    try {
      parsed = Struct.parseFrom(Struct.newBuilder().putAllFields(proto).build().toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    return PayloadCodec.toJava(parsed.getFieldsMap(), "payload");
  }

  @Test
  void everyJsonTypeSurvivesTheRoundTrip() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("deep", List.of(List.of(1L, 2.5), Map.of("k", "v")));
    nested.put("nothing", null);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("null", null);
    payload.put("true", true);
    payload.put("false", false);
    payload.put("zero", 0L);
    payload.put("max", Long.MAX_VALUE);
    payload.put("min", Long.MIN_VALUE);
    payload.put("pi", Math.PI);
    payload.put("tiny", Double.MIN_VALUE);
    payload.put("huge", Double.MAX_VALUE);
    payload.put("negative zero", -0.0);
    payload.put("unicode", "héllo – 日本語 – \uD83D\uDE80 – \u0000");
    payload.put("empty string", "");
    payload.put("empty list", List.of());
    payload.put("empty map", Map.of());
    payload.put("list", Arrays.asList(1L, "two", 3.0, null, true));
    payload.put("map", nested);

    Map<String, Object> back = roundTrip(payload);

    assertThat(back).isEqualTo(payload);
    assertThat(back).containsKey("null");
    // Double.equals tells -0.0 from 0.0; check the bits anyway
    assertThat(Double.doubleToRawLongBits((Double) back.get("negative zero")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void integersAndDoublesStayDistinctKindsAsInQdrant() {
    Map<String, Value> proto = PayloadCodec.toProto(Map.of("i", 2L, "d", 2.0), "payload");
    assertThat(proto.get("i").getKindCase()).isEqualTo(Value.KindCase.INTEGER_VALUE);
    assertThat(proto.get("d").getKindCase()).isEqualTo(Value.KindCase.DOUBLE_VALUE);

    Map<String, Object> back = PayloadCodec.toJava(proto, "payload");
    assertThat(back.get("i")).isInstanceOf(Long.class).isEqualTo(2L);
    // an integral-valued double stays a double: Qdrant keeps integer and double values apart
    assertThat(back.get("d")).isInstanceOf(Double.class).isEqualTo(2.0);
    assertThat(back.get("i")).isNotEqualTo(back.get("d"));
  }

  @Test
  void losslessWideningsEncodeAsTheirKind() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("int", 7);
    in.put("short", (short) -3);
    in.put("byte", (byte) 1);
    in.put("float", 1.5f);
    assertThat(roundTrip(in))
        .containsExactly(
            Map.entry("int", 7L),
            Map.entry("short", -3L),
            Map.entry("byte", 1L),
            Map.entry("float", 1.5));
  }

  @Test
  void aNonJsonValueIsRejectedWithItsPathAndType() {
    Map<String, Object> inner = new HashMap<>();
    inner.put("where", Path.of("/tmp"));
    Map<String, Object> payload = Map.of("tags", List.of("a", inner));

    assertThatThrownBy(() -> PayloadCodec.toProto(payload, "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("payload.tags[1].where")
        .hasMessageContaining("sun.nio.fs")
        .satisfies(
            e ->
                assertThat(((InvalidMetadataException) e).field())
                    .isEqualTo("payload.tags[1].where"));
  }

  @Test
  void typesThatPayloadsCopyConvertsMustGoThroughIt() {
    for (Object v : List.of(new BigDecimal("1.5"), 'c', new long[] {1})) {
      assertThatThrownBy(() -> PayloadCodec.toProto(v, "payload.x"))
          .as(v.getClass().getName())
          .isInstanceOf(InvalidMetadataException.class)
          .hasMessageContaining("payload.x")
          .hasMessageContaining(v.getClass().getName());
      Map<String, Object> copied = Payloads.copy(Map.of("x", v), "payload");
      assertThat(PayloadCodec.toProto(copied, "payload")).containsKey("x");
    }
  }

  @Test
  void nonFiniteNumbersAreRejectedBothWays() {
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("n", Double.NaN), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("payload.n")
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> PayloadCodec.toProto(Float.NEGATIVE_INFINITY, "payload.f"))
        .isInstanceOf(InvalidMetadataException.class);
    Value inf = Value.newBuilder().setDoubleValue(Double.POSITIVE_INFINITY).build();
    assertThatThrownBy(() -> PayloadCodec.toJava(Map.of("x", inf), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("payload.x");
  }

  @Test
  void nonStringKeysAreRejectedNotStringified() {
    Map<Object, Object> m = new HashMap<>();
    m.put(1, "one");
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("m", m), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("payload.m")
        .hasMessageContaining("java.lang.Integer");
  }

  @Test
  void aCycleIsAnErrorNotAStackOverflow() {
    List<Object> self = new ArrayList<>();
    self.add(self);
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("loop", self), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("nesting of at most " + PayloadCodec.MAX_DEPTH);
  }

  @Test
  void aValueWithNoKindDecodesAsNull() {
    Value empty = Value.getDefaultInstance();
    Value list = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(empty)).build();
    assertThat(PayloadCodec.toJava(empty, "payload.x")).isNull();
    assertThat(PayloadCodec.toJava(list, "payload.x")).isEqualTo(Arrays.asList((Object) null));
  }

  @Test
  void decodedContainersAreModifiable() {
    Map<String, Object> back = roundTrip(Map.of("m", Map.of("a", 1L), "l", List.of(1L)));
    @SuppressWarnings("unchecked") // the codec decodes a struct as a map
    Map<String, Object> m = (Map<String, Object>) back.get("m");
    m.put("b", 2L);
    @SuppressWarnings("unchecked") // and a list value as a list
    List<Object> l = (List<Object>) back.get("l");
    l.add(2L);
    assertThat(back).isEqualTo(Map.of("m", Map.of("a", 1L, "b", 2L), "l", List.of(1L, 2L)));
  }

  /** {@code levels} maps, each the only value of the one above, under {@code payload.k}. */
  private static Map<String, Object> nested(int levels) {
    Object inner = "leaf";
    for (int i = 0; i < levels; i++) {
      inner = Map.of("k", inner);
    }
    return Map.of("k", inner);
  }

  @Test
  void theDeepestNestingProtobufCarriesRoundTripsAndOneMoreIsRefusedWithItsPath() {
    // the payload map is depth 0: nested(n) puts its deepest map at depth n
    assertThat(PayloadCodec.MAX_DEPTH).isEqualTo(Math.min(32, Payloads.MAX_DEPTH));
    Map<String, Object> deepest = nested(PayloadCodec.MAX_DEPTH - 1);
    assertThat(roundTrip(deepest)).isEqualTo(deepest);
    assertThatThrownBy(() -> PayloadCodec.toProto(nested(PayloadCodec.MAX_DEPTH), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload" + ".k".repeat(PayloadCodec.MAX_DEPTH) + ":")
        .hasMessageContaining("nesting of at most " + PayloadCodec.MAX_DEPTH + " levels");
  }

  @Test
  void theDeepestNestingFitsProtobufsRecursionLimitInAnUpsert() throws Exception {
    // UpsertPoints > PointStruct > payload entry > Value > (Struct > entry > Value) x depth: the
    // request parses with protobuf's default limit of 100 nested messages
    var point =
        io.qdrant.client.grpc.Points.PointStruct.newBuilder()
            .putAllPayload(PayloadCodec.toProto(nested(PayloadCodec.MAX_DEPTH - 1), "payload"));
    byte[] upsert =
        io.qdrant.client.grpc.Points.UpsertPoints.newBuilder()
            .addPoints(point)
            .build()
            .toByteArray();
    assertThat(io.qdrant.client.grpc.Points.UpsertPoints.parseFrom(upsert).getPoints(0))
        .isEqualTo(point.build());
  }

  @Test
  void loneSurrogatesAreRefusedWithThePathAndPairsPass() {
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("s", "a\uD800b"), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.s: expected well-formed UTF-16")
        .hasMessageContaining("a lone surrogate \\uD800 at index 1");
    assertThatThrownBy(
            () -> PayloadCodec.toProto(Map.of("l", List.of("ok", "user\uD83D")), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.l[1]:")
        .hasMessageContaining("\\uD83D at index 4");
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("m", Map.of("\uDC00", 1L)), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.m:")
        .hasMessageContaining("a key with a lone surrogate \\uDC00 at index 0");
    assertThatThrownBy(() -> PayloadCodec.toProto(Map.of("\uD800", 1L), "metadata"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid metadata:");
    assertThatThrownBy(() -> PayloadCodec.toProto("\uDE80\uD83D", "payload.x"))
        .hasMessageContaining("\\uDE80 at index 0");

    assertThat(roundTrip(Map.of("rocket", "\uD83D\uDE80"))).containsEntry("rocket", "\uD83D\uDE80");
  }

  @Test
  void encodeIntoFillsTheSinkDirectly() {
    var b = io.qdrant.client.grpc.Points.PointStruct.newBuilder();
    PayloadCodec.encodeInto(Map.of("a", 1L, "b", List.of("x")), "payload", b::putPayload);
    assertThat(PayloadCodec.toJava(b.getPayloadMap(), "payload"))
        .isEqualTo(Map.of("a", 1L, "b", List.of("x")));
  }

  @Test
  void aDecodedNonFiniteNumberIsNamedByItsPath() {
    Value inf = Value.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY).build();
    Value list =
        Value.newBuilder()
            .setListValue(
                ListValue.newBuilder().addValues(Value.getDefaultInstance()).addValues(inf))
            .build();
    Value struct =
        Value.newBuilder().setStructValue(Struct.newBuilder().putFields("l", list)).build();
    assertThatThrownBy(() -> PayloadCodec.toJava(Map.of("m", struct), "payload"))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageStartingWith("invalid payload.m.l[1]: expected a finite number");
    assertThatThrownBy(() -> PayloadCodec.toJava(list, "payload.x"))
        .hasMessageStartingWith("invalid payload.x[1]:");
  }
}
