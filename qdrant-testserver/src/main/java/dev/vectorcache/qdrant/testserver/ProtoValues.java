package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.exception.InvalidMetadataException;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.qdrant.common.PayloadCodec;
import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Payload values and ids between Qdrant's protobuf and plain Java. Payload values go through the
 * {@link PayloadCodec} the adapter uses too (one rule for both: a value that is not JSON is
 * refused, never stringified); the ids are parsed here, with the server's error texts.
 */
final class ProtoValues {
  private ProtoValues() {}

  /**
   * A request's payload, as Qdrant reads it: a NaN or infinite double is INVALID_ARGUMENT with
   * Qdrant's text.
   */
  static Map<String, Object> toJava(Map<String, Value> payload) {
    try {
      return PayloadCodec.toJava(payload, "payload");
    } catch (InvalidMetadataException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("cannot convert to json number (" + e.field() + ")")
          .asRuntimeException();
    }
  }

  /**
   * A stored payload for a reply. The backing store holds only JSON values, so a failure here is a
   * bug in the store: INTERNAL, not the caller's fault.
   */
  static Map<String, Value> toProto(Map<String, ?> payload) {
    try {
      return PayloadCodec.toProto(payload, "payload");
    } catch (InvalidMetadataException e) {
      throw Status.INTERNAL
          .withDescription("Service internal error: " + e.getMessage())
          .asRuntimeException();
    }
  }

  /** Parses an id as the server does: an empty oneof or a bad UUID is INVALID_ARGUMENT. */
  static PointId id(Common.PointId id) {
    switch (id.getPointIdOptionsCase()) {
      case NUM -> {
        return PointId.of(id.getNum());
      }
      case UUID -> {
        try {
          return PointId.parse(id.getUuid());
        } catch (RuntimeException e) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Unable to parse UUID: " + id.getUuid())
              .asRuntimeException();
        }
      }
      default ->
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
