package dev.vectorcache.qdrant.testserver;

import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.VectorsSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.List;
import java.util.Map;

/** Request builders shared by the tests of named and sparse vectors. */
final class NamedFixtures {
  private NamedFixtures() {}

  static Points.Vector dense(float... v) {
    Points.DenseVector.Builder d = Points.DenseVector.newBuilder();
    for (float x : v) {
      d.addData(x);
    }
    return Points.Vector.newBuilder().setDense(d).build();
  }

  static Points.Vector sparse(int index, float value) {
    return Points.Vector.newBuilder()
        .setSparse(Points.SparseVector.newBuilder().addIndices(index).addValues(value))
        .build();
  }

  static Points.Vectors named(Map<String, Points.Vector> vectors) {
    return Points.Vectors.newBuilder()
        .setVectors(Points.NamedVectors.newBuilder().putAllVectors(vectors))
        .build();
  }

  static VectorInput denseInput(float... v) {
    Points.DenseVector.Builder d = Points.DenseVector.newBuilder();
    for (float x : v) {
      d.addData(x);
    }
    return VectorInput.newBuilder().setDense(d).build();
  }

  static Query nearest(VectorInput in) {
    return Query.newBuilder().setNearest(in).build();
  }

  static WithVectorsSelector all() {
    return WithVectorsSelector.newBuilder().setEnable(true).build();
  }

  static WithVectorsSelector only(String... names) {
    return WithVectorsSelector.newBuilder()
        .setInclude(VectorsSelector.newBuilder().addAllNames(List.of(names)))
        .build();
  }

  static List<Long> ids(List<ScoredPoint> hits) {
    return hits.stream().map(p -> p.getId().getNum()).toList();
  }
}
