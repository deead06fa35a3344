package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.PointId;
import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the protobuf JSON values and ids of Qdrant and plain Java values. */
final class ProtoValues {
  private ProtoValues() {}

  static Map<String, Object> toJava(Map<String, Value> payload) {
    Map<String, Object> out = new LinkedHashMap<>();
    payload.forEach((k, v) -> out.put(k, toJava(v)));
    return out;
  }

  static Object toJava(Value v) {
    switch (v.getKindCase()) {
      case NULL_VALUE:
      case KIND_NOT_SET:
        return null;
      case DOUBLE_VALUE:
        if (!Double.isFinite(v.getDoubleValue())) {
          throw Status.INVALID_ARGUMENT
              .withDescription("cannot convert to json number")
              .asRuntimeException();
        }
        return v.getDoubleValue();
      case INTEGER_VALUE:
        return v.getIntegerValue();
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case STRUCT_VALUE:
        return toJava(v.getStructValue().getFieldsMap());
      case LIST_VALUE:
        List<Object> list = new ArrayList<>();
        for (Value item : v.getListValue().getValuesList()) {
          list.add(toJava(item));
        }
        return list;
      default:
        return null;
    }
  }

  static Map<String, Value> toProto(Map<String, ?> payload) {
    Map<String, Value> out = new LinkedHashMap<>();
    payload.forEach((k, v) -> out.put(k, toProto(v)));
    return out;
  }

  static Value toProto(Object o) {
    Value.Builder b = Value.newBuilder();
    if (o == null) {
      b.setNullValue(NullValue.NULL_VALUE);
    } else if (o instanceof String s) {
      b.setStringValue(s);
    } else if (o instanceof Boolean bool) {
      b.setBoolValue(bool);
    } else if (o instanceof Double || o instanceof Float) {
      b.setDoubleValue(((Number) o).doubleValue());
    } else if (o instanceof Number n) {
      b.setIntegerValue(n.longValue());
    } else if (o instanceof Map<?, ?> m) {
      Struct.Builder s = Struct.newBuilder();
      m.forEach((k, v) -> s.putFields(String.valueOf(k), toProto(v)));
      b.setStructValue(s);
    } else if (o instanceof List<?> l) {
      ListValue.Builder lb = ListValue.newBuilder();
      for (Object item : l) {
        lb.addValues(toProto(item));
      }
      b.setListValue(lb);
    } else {
      b.setStringValue(String.valueOf(o));
    }
    return b.build();
  }

  /** Parses an id as the server does: an empty oneof or a bad UUID is INVALID_ARGUMENT. */
  static PointId id(Common.PointId id) {
    switch (id.getPointIdOptionsCase()) {
      case NUM:
        return PointId.of(id.getNum());
      case UUID:
        try {
          return PointId.parse(id.getUuid());
        } catch (RuntimeException e) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Unable to parse UUID: " + id.getUuid())
              .asRuntimeException();
        }
      default:
        throw Status.INVALID_ARGUMENT
            .withDescription("No ID options provided")
            .asRuntimeException();
    }
  }

  static List<PointId> ids(List<Common.PointId> ids) {
    List<PointId> out = new ArrayList<>(ids.size());
    for (Common.PointId id : ids) {
      out.add(id(id));
    }
    return out;
  }

  static Common.PointId toProto(PointId id) {
    return id.isNumeric()
        ? Common.PointId.newBuilder().setNum(id.num()).build()
        : Common.PointId.newBuilder().setUuid(id.uuid().toString()).build();
  }
}
