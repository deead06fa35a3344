package dev.vectorcache.qdrant.testserver;

import dev.vectorcache.core.model.PayloadSchemaType;
import dev.vectorcache.core.model.PayloadSelector;
import dev.vectorcache.core.model.RetrievedPoint;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import io.grpc.Status;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The static conversions of {@link PointsService}: request fields in, answer messages out. */
final class ProtoPoints {
  private ProtoPoints() {}

  static float[] vector(Points.Vectors v) {
    switch (v.getVectorsOptionsCase()) {
      case VECTOR -> {
        return vector(v.getVector());
      }
      case VECTORS -> {
        Map<String, Points.Vector> named = v.getVectors().getVectorsMap();
        for (String key : named.keySet()) {
          if (!key.isEmpty()) {
            throw noVectorName(key);
          }
        }
        if (named.containsKey("")) {
          return vector(named.get(""));
        }
      }
      default -> {}
    }
    throw Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [vectors: a vector is required]")
        .asRuntimeException();
  }

  // clients may still send the deprecated `data` field, which Qdrant accepts
  @SuppressWarnings("deprecation")
  static float[] vector(Points.Vector v) {
    if (v.hasDense()) {
      return floats(v.getDense().getDataList());
    }
    if (v.hasSparse() || v.hasMultiDense() || v.hasDocument() || v.hasImage() || v.hasObject()) {
      throw unsupported("sparse, multi-dense and inference vectors");
    }
    // the deprecated `data` field
    return floats(v.getDataList());
  }

  static float[] floats(List<Float> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  static SearchParams params(Points.@Nullable SearchParams p) {
    if (p == null) {
      return SearchParams.DEFAULT;
    }
    Points.QuantizationSearchParams q = p.getQuantization();
    return new SearchParams(
        p.hasHnswEf() ? (int) Math.min(Integer.MAX_VALUE, p.getHnswEf()) : null,
        p.hasExact() && p.getExact(),
        q.hasIgnore() && q.getIgnore(),
        q.hasRescore() ? q.getRescore() : null,
        q.hasOversampling() ? q.getOversampling() : null);
  }

  static void requireLimit(long limit) {
    if (limit < 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Validation error in body: [limit: value 0 invalid, must be 1 or larger]")
          .asRuntimeException();
    }
  }

  static PayloadSchemaType schemaType(Points.FieldType t) {
    return switch (t) {
      case FieldTypeKeyword -> PayloadSchemaType.KEYWORD;
      case FieldTypeInteger -> PayloadSchemaType.INTEGER;
      case FieldTypeFloat -> PayloadSchemaType.FLOAT;
      case FieldTypeText -> PayloadSchemaType.TEXT;
      case FieldTypeBool -> PayloadSchemaType.BOOL;
      case FieldTypeDatetime -> PayloadSchemaType.DATETIME;
      case FieldTypeUuid -> PayloadSchemaType.UUID;
      default -> throw unsupported("geo payload indexes");
    };
  }

  /** What a read returns of the payload: the selector for the store and keys to strip after. */
  record PayloadView(PayloadSelector selector, Set<String> exclude) {}

  static PayloadView payloadView(@Nullable WithPayloadSelector s, boolean defaultEnabled) {
    if (s == null) {
      return new PayloadView(PayloadSelector.of(defaultEnabled), Set.of());
    }
    return switch (s.getSelectorOptionsCase()) {
      case ENABLE -> new PayloadView(PayloadSelector.of(s.getEnable()), Set.of());
      case INCLUDE ->
          new PayloadView(
              PayloadSelector.include(s.getInclude().getFieldsList().toArray(new String[0])),
              Set.of());
      case EXCLUDE ->
          new PayloadView(PayloadSelector.ALL, Set.copyOf(s.getExclude().getFieldsList()));
      default -> new PayloadView(PayloadSelector.of(defaultEnabled), Set.of());
    };
  }

  static boolean withVectors(@Nullable WithVectorsSelector s) {
    if (s == null) {
      return false;
    }
    return switch (s.getSelectorOptionsCase()) {
      case ENABLE -> s.getEnable();
      case INCLUDE -> s.getInclude().getNamesCount() > 0;
      default -> false;
    };
  }

  static Map<String, Value> payload(Map<String, Object> payload, PayloadView view) {
    Map<String, Value> out = ProtoValues.toProto(payload);
    out.keySet().removeAll(view.exclude());
    return out;
  }

  static Points.VectorsOutput vectorsOut(float[] v) {
    Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
    for (float x : v) {
      dense.addData(x);
    }
    // the server fills only `dense`; the deprecated `data` field stays empty
    return Points.VectorsOutput.newBuilder()
        .setVector(Points.VectorOutput.newBuilder().setDense(dense))
        .build();
  }

  static Points.ScoredPoint scored(ScoredPoint p, PayloadView view) {
    Points.ScoredPoint.Builder b =
        Points.ScoredPoint.newBuilder()
            .setId(ProtoValues.toProto(p.id()))
            .setScore(p.score())
            .putAllPayload(payload(p.payload(), view));
    float[] v = p.vector();
    if (v != null) {
      b.setVectors(vectorsOut(v));
    }
    return b.build();
  }

  static Points.RetrievedPoint retrieved(RetrievedPoint p, PayloadView view) {
    Points.RetrievedPoint.Builder b =
        Points.RetrievedPoint.newBuilder()
            .setId(ProtoValues.toProto(p.id()))
            .putAllPayload(payload(p.payload(), view));
    float[] v = p.vector();
    if (v != null) {
      b.setVectors(vectorsOut(v));
    }
    return b.build();
  }

  static RuntimeException noVectorName(String name) {
    return Status.INVALID_ARGUMENT
        .withDescription("Wrong input: Not existing vector name error: " + name)
        .asRuntimeException();
  }

  static RuntimeException noSelector() {
    return Status.INVALID_ARGUMENT
        .withDescription("Validation error in body: [points_selector: field is required]")
        .asRuntimeException();
  }

  static RuntimeException unsupported(String what) {
    return Status.UNIMPLEMENTED
        .withDescription("the vectorcache Qdrant test server does not support " + what)
        .asRuntimeException();
  }
}
