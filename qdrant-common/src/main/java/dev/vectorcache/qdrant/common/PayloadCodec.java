package dev.vectorcache.qdrant.common;

import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.model.Payloads;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
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
 * what was found: a non-JSON value is never turned into a string, a non-string map key is never
 * stringified, NaN or an infinity (which JSON and Qdrant cannot hold) is refused, and so is a
 * string or key that is not well-formed UTF-16 (a lone surrogate, as left by cutting a string
 * inside an emoji): protobuf would send it as {@code '?'}, so it would come back changed. Types
 * that {@link Payloads#copy} converts (a {@code BigDecimal}, a {@code char}, an array) must go
 * through it first; the adapter and the server only ever encode copied payloads.
 *
 * <p><b>Nesting</b> is bounded by {@link #MAX_DEPTH}, the depth protobuf can carry (see there).
 *
 * <p>Integers and doubles are distinct kinds, as in Qdrant: {@code 2L} encodes as {@code
 * integer_value} and {@code 2.0} as {@code double_value}, and each decodes back to its own type
 * ({@code Long} and {@code Double}); Qdrant keeps a double with an integral value a double, and
 * {@code -0.0} stays {@code -0.0}. Decoding gives {@code null} for {@code null_value} and for a
 * value with no kind set (as Qdrant reads it), modifiable {@link LinkedHashMap}s and {@link
 * ArrayList}s for structs and lists, and refuses a non-finite double with the same exception.
 *
 * <p>Paths are built only for an error message: encoding and decoding allocate nothing per value
 * beyond the values themselves.
 */
public final class PayloadCodec {
  /**
   * How deep a payload that goes over gRPC may nest, counted as {@link Payloads} does: the payload
   * map is depth 0, and a map or list at depth {@code MAX_DEPTH} or deeper is refused before any
   * I/O. Protobuf parsers stop at 100 nested messages (protobuf-java's default, and prost's fixed
   * limit in Qdrant), and each level of maps costs three (a {@code Value}, its {@code Struct}, the
   * map entry) beneath the two or three of the request around the payload ({@code UpsertPoints →
   * PointStruct → payload entry}): a map at depth 32 is the deepest an upsert can carry (its values
   * sit at message level 3 × 32 + 3 = 99). 32 leaves one level for a request that wraps the points
   * once more (a batch update), and it is the smaller of that and {@link Payloads#MAX_DEPTH}.
   */
  public static final int MAX_DEPTH = Math.min(Payloads.MAX_DEPTH, 32);

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
    encodeInto(payload, field, out::put);
    return out;
  }

  /**
   * Encodes a payload map straight into {@code sink}, for example a request builder's {@code
   * putPayload}, without an intermediate map.
   *
   * @param field the name of the payload in error messages, for example {@code "payload"}
   * @throws InvalidMetadataException naming the path of the first value that cannot be sent; the
   *     sink may have received the entries before it
   */
  public static void encodeInto(
      Map<String, ?> payload, String field, BiConsumer<String, Value> sink) {
    try {
      for (Map.Entry<String, ?> e : payload.entrySet()) {
        String key = e.getKey();
        checkText(key, true); // a bad key is named by its parent's path
        try {
          sink.accept(key, encode(e.getValue(), 1));
        } catch (Failure f) {
          throw f.at("." + key);
        }
      }
    } catch (Failure f) {
      throw f.toException(field);
    }
  }

  /**
   * Encodes one value.
   *
   * @param path where the value sits, for error messages
   * @throws InvalidMetadataException when the value, or one inside it, is not JSON
   */
  public static Value toProto(@Nullable Object value, String path) {
    try {
      return encode(value, 0);
    } catch (Failure f) {
      throw f.toException(path);
    }
  }

  private static Value encode(@Nullable Object value, int depth) {
    Value.Builder b = Value.newBuilder();
    if (value == null) {
      b.setNullValue(NullValue.NULL_VALUE);
    } else if (value instanceof String s) {
      checkText(s, false);
      b.setStringValue(s);
    } else if (value instanceof Boolean bool) {
      b.setBoolValue(bool);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      b.setIntegerValue(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      b.setDoubleValue(finite(((Number) value).doubleValue()));
    } else if (value instanceof Map<?, ?> map) {
      b.setStructValue(struct(map, checkDepth(depth)));
    } else if (value instanceof List<?> list) {
      b.setListValue(list(list, checkDepth(depth)));
    } else {
      throw new Failure(
          JSON_TYPES,
          "an instance of " + value.getClass().getName(),
          "convert it to one of those types (Payloads.copy converts numbers, chars and arrays)");
    }
    return b.build();
  }

  private static ListValue list(List<?> list, int depthBelow) {
    ListValue.Builder lb = ListValue.newBuilder();
    for (int i = 0; i < list.size(); i++) {
      try {
        lb.addValues(encode(list.get(i), depthBelow));
      } catch (Failure f) {
        throw f.at("[" + i + "]");
      }
    }
    return lb.build();
  }

  private static Struct struct(Map<?, ?> map, int depthBelow) {
    Struct.Builder s = Struct.newBuilder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        Object k = e.getKey();
        throw new Failure(
            "string keys",
            k == null ? "a null key" : "a key of type " + k.getClass().getName(),
            "convert the keys to strings");
      }
      checkText(key, true); // a bad key is named by its parent's path
      try {
        s.putFields(key, encode(e.getValue(), depthBelow));
      } catch (Failure f) {
        throw f.at("." + key);
      }
    }
    return s.build();
  }

  /** The nesting bound ({@link #MAX_DEPTH}); also turns a cycle into an error, not a crash. */
  private static int checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new Failure(
          "nesting of at most " + MAX_DEPTH + " levels (what protobuf carries over gRPC)",
          "deeper nesting (or a cycle)",
          "flatten it");
    }
    return depth + 1;
  }

  /**
   * Refuses a lone surrogate, which protobuf would send as {@code '?'}: the same rule and wording
   * as {@link Payloads#copy}, for callers of the adapter that did not go through it.
   */
  private static void checkText(String s, boolean isKey) {
    int at = Payloads.loneSurrogateAt(s);
    if (at >= 0) {
      throw new Failure(
          "well-formed UTF-16 text",
          (isKey ? "a key with " : "") + Payloads.describeLoneSurrogate(s, at),
          "the text was cut in the middle of a character; cut it at a code point boundary");
    }
  }

  private static double finite(double d) {
    if (!Double.isFinite(d)) {
      throw new Failure(
          "a finite number", d, "JSON has no NaN or infinity; store null or a string");
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
    try {
      return decodeMap(payload);
    } catch (Failure f) {
      throw f.toException(field);
    }
  }

  /**
   * Decodes one value: {@code Long}, {@code Double}, {@code String}, {@code Boolean}, a {@code
   * Map}, a {@code List} or {@code null}.
   *
   * @throws InvalidMetadataException when a double in it is NaN or infinite
   */
  public static @Nullable Object toJava(Value value, String path) {
    try {
      return decode(value);
    } catch (Failure f) {
      throw f.toException(path);
    }
  }

  private static Map<String, @Nullable Object> decodeMap(Map<String, Value> payload) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>(Math.max(4, payload.size() * 2));
    for (Map.Entry<String, Value> e : payload.entrySet()) {
      try {
        out.put(e.getKey(), decode(e.getValue()));
      } catch (Failure f) {
        throw f.at("." + e.getKey());
      }
    }
    return out;
  }

  private static @Nullable Object decode(Value value) {
    return switch (value.getKindCase()) {
      case INTEGER_VALUE -> value.getIntegerValue();
      case DOUBLE_VALUE -> finite(value.getDoubleValue());
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case STRUCT_VALUE -> decodeMap(value.getStructValue().getFieldsMap());
      case LIST_VALUE -> decodeList(value.getListValue());
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }

  private static List<@Nullable Object> decodeList(ListValue list) {
    List<@Nullable Object> out = new ArrayList<>(list.getValuesCount());
    for (int i = 0; i < list.getValuesCount(); i++) {
      try {
        out.add(decode(list.getValues(i)));
      } catch (Failure f) {
        throw f.at("[" + i + "]");
      }
    }
    return out;
  }

  /**
   * A refused value on its way up: each container it passes adds its part of the path, and the
   * entry point turns it into the public exception. No stack trace: it never escapes this class.
   */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ArrayDeque<String> path = new ArrayDeque<>();
    private final String expected;
    private final transient @Nullable Object found;
    private final String fix;

    Failure(String expected, @Nullable Object found, String fix) {
      super(expected, null, false, false);
      this.expected = expected;
      this.found = found;
      this.fix = fix;
    }

    Failure at(String part) {
      path.addFirst(part);
      return this;
    }

    InvalidMetadataException toException(String root) {
      return new InvalidMetadataException(root + String.join("", path), expected, found, fix);
    }
  }
}
