package dev.vectorcache.qdrant.common;

import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.Payloads;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one codec of payload values between Java and Qdrant's protobuf {@link Value}, used by the
 * adapter and by the test server alike.
 *
 * <p>The Java side is the payload model of {@link Payloads}: {@code null}, {@link String}, {@link
 * Boolean}, {@link Long}, {@link Double}, {@code List} and {@code Map<String, ?>}. Encoding also
 * takes {@link Integer}, {@link Short}, {@link Byte} (as integers) and {@link Float} (as a double),
 * the widenings that lose nothing. <b>Anything else is rejected</b> with an {@link
 * InvalidMetadataException} naming the path of the value (for example {@code payload.tags[2]}) and
 * the Java type found: a non-JSON value is never turned into a string, a non-string map key is
 * never stringified, and NaN or an infinity (which JSON and Qdrant cannot hold) is refused. Types
 * that {@link Payloads#copy} converts (a {@code BigDecimal}, a {@code char}, an array) must go
 * through it first; the adapter and the server only ever encode copied payloads.
 *
 * <p>Integers and doubles are distinct kinds, as in Qdrant: {@code 2L} encodes as {@code
 * integer_value} and {@code 2.0} as {@code double_value}, and each decodes back to its own type
 * ({@code Long} and {@code Double}); Qdrant keeps a double with an integral value a double, and
 * {@code -0.0} stays {@code -0.0}. Decoding gives {@code null} for {@code null_value} and for a
 * value with no kind set (as Qdrant reads it), modifiable {@link LinkedHashMap}s and {@link
 * ArrayList}s for structs and lists, and refuses a non-finite double with the same exception.
 */
public final class PayloadCodec {
  private static final String JSON_TYPES =
      "a JSON value (null, String, Boolean, Long, Double, List or Map<String, ?>)";

  private PayloadCodec() {}

  /**
   * Encodes a payload map.
   *
   * @param field the name of the payload in error messages, for example {@code "payload"}
   * @throws InvalidMetadataException naming the path and the type of the first value that is not
   *     JSON
   */
  public static Map<String, Value> toProto(Map<String, ?> payload, String field) {
    Map<String, Value> out = new LinkedHashMap<>(Math.max(4, payload.size() * 2));
    for (Map.Entry<String, ?> e : payload.entrySet()) {
      out.put(e.getKey(), toProto(e.getValue(), field + "." + e.getKey(), 1));
    }
    return out;
  }

  /**
   * Encodes one value.
   *
   * @param path where the value sits, for error messages
   * @throws InvalidMetadataException when the value, or one inside it, is not JSON
   */
  public static Value toProto(@Nullable Object value, String path) {
    return toProto(value, path, 0);
  }

  private static Value toProto(@Nullable Object value, String path, int depth) {
    Value.Builder b = Value.newBuilder();
    if (value == null) {
      b.setNullValue(NullValue.NULL_VALUE);
    } else if (value instanceof String s) {
      b.setStringValue(s);
    } else if (value instanceof Boolean bool) {
      b.setBoolValue(bool);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      b.setIntegerValue(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      b.setDoubleValue(finite(((Number) value).doubleValue(), path));
    } else if (value instanceof Map<?, ?> map) {
      b.setStructValue(struct(map, path, checkDepth(depth, path)));
    } else if (value instanceof List<?> list) {
      ListValue.Builder lb = ListValue.newBuilder();
      int depthBelow = checkDepth(depth, path);
      for (int i = 0; i < list.size(); i++) {
        lb.addValues(toProto(list.get(i), path + "[" + i + "]", depthBelow));
      }
      b.setListValue(lb);
    } else {
      throw new InvalidMetadataException(
          path,
          JSON_TYPES,
          "an instance of " + value.getClass().getName(),
          "convert it to one of those types (Payloads.copy converts numbers, chars and arrays)");
    }
    return b.build();
  }

  private static Struct struct(Map<?, ?> map, String path, int depthBelow) {
    Struct.Builder s = Struct.newBuilder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        Object k = e.getKey();
        throw new InvalidMetadataException(
            path,
            "string keys",
            k == null ? "a null key" : "a key of type " + k.getClass().getName(),
            "convert the keys to strings");
      }
      s.putFields(key, toProto(e.getValue(), path + "." + key, depthBelow));
    }
    return s.build();
  }

  /**
   * The nesting bound of {@link Payloads}; also turns a cycle into an error, not a stack overflow.
   */
  private static int checkDepth(int depth, String path) {
    if (depth >= Payloads.MAX_DEPTH) {
      throw new InvalidMetadataException(
          path,
          "nesting of at most " + Payloads.MAX_DEPTH + " levels",
          "deeper nesting (or a cycle)",
          "flatten it");
    }
    return depth + 1;
  }

  private static double finite(double d, String path) {
    if (!Double.isFinite(d)) {
      throw new InvalidMetadataException(
          path, "a finite number", d, "JSON has no NaN or infinity; store null or a string");
    }
    return d;
  }

  /**
   * Decodes a payload map into the Java model.
   *
   * @param field the name of the payload in error messages
   * @throws InvalidMetadataException when a double in it is NaN or infinite
   */
  public static Map<String, @Nullable Object> toJava(Map<String, Value> payload, String field) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>(Math.max(4, payload.size() * 2));
    for (Map.Entry<String, Value> e : payload.entrySet()) {
      out.put(e.getKey(), toJava(e.getValue(), field + "." + e.getKey()));
    }
    return out;
  }

  /**
   * Decodes one value: {@code Long}, {@code Double}, {@code String}, {@code Boolean}, a {@code
   * Map}, a {@code List} or {@code null}.
   *
   * @throws InvalidMetadataException when a double in it is NaN or infinite
   */
  public static @Nullable Object toJava(Value value, String path) {
    return switch (value.getKindCase()) {
      case INTEGER_VALUE -> value.getIntegerValue();
      case DOUBLE_VALUE -> finite(value.getDoubleValue(), path);
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case STRUCT_VALUE -> toJava(value.getStructValue().getFieldsMap(), path);
      case LIST_VALUE -> list(value.getListValue(), path);
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }

  private static List<@Nullable Object> list(ListValue list, String path) {
    List<@Nullable Object> out = new ArrayList<>(list.getValuesCount());
    for (int i = 0; i < list.getValuesCount(); i++) {
      out.add(toJava(list.getValues(i), path + "[" + i + "]"));
    }
    return out;
  }
}
