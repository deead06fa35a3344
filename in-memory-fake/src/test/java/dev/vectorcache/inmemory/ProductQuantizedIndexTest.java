package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.QuantizationConfig.Compression;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ProductCodebook} and {@link ProductQuantizedIndex} on their own. */
class ProductQuantizedIndexTest {
  @TempDir Path dir;

  private static float[] sample(long seed, int n, int dim) {
    Random r = new Random(seed);
    float[] out = new float[n * dim];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  private static float[] row(float[] packed, int p, int dim) {
    return Arrays.copyOfRange(packed, p * dim, (p + 1) * dim);
  }

  @Test
  void theCompressionRatioGivesTheNumberOfSubVectors() {
    assertThat(ProductCodebook.subVectors(64, Compression.X4.ratio())).isEqualTo(64);
    assertThat(ProductCodebook.subVectors(64, Compression.X8.ratio())).isEqualTo(32);
    assertThat(ProductCodebook.subVectors(64, Compression.X16.ratio())).isEqualTo(16);
    assertThat(ProductCodebook.subVectors(64, Compression.X32.ratio())).isEqualTo(8);
    assertThat(ProductCodebook.subVectors(64, Compression.X64.ratio())).isEqualTo(4);
    // rounded down, at least one
    assertThat(ProductCodebook.subVectors(100, Compression.X64.ratio())).isEqualTo(6);
    assertThat(ProductCodebook.subVectors(3, Compression.X64.ratio())).isEqualTo(1);
    // uneven sub-vectors differ by at most one component, none padded
    assertThat(ProductCodebook.bounds(10, 3)).containsExactly(0, 3, 6, 10);
    assertThat(ProductCodebook.bounds(8, 4)).containsExactly(0, 2, 4, 6, 8);
  }

  @Test
  void trainingIsDeterministic() {
    float[] s = sample(1, 2000, 10);
    ProductCodebook a = ProductCodebook.train(s, 2000, 10, 3);
    ProductCodebook b = ProductCodebook.train(s.clone(), 2000, 10, 3);
    assertThat(a.centroids()).isEqualTo(256);
    assertThat(a.book()).containsExactly(b.book());
    ProductCodebook other = ProductCodebook.train(sample(2, 2000, 10), 2000, 10, 3);
    assertThat(other.book()).isNotEqualTo(a.book());
  }

  @Test
  void aSampleSmallerThan256GivesOneCentroidPerPointAndExactCodes() {
    int dim = 6;
    float[] s = sample(3, 40, dim);
    ProductCodebook cb = ProductCodebook.train(s, 40, dim, 2);
    assertThat(cb.centroids()).isEqualTo(40);
    float[] acc = new float[cb.centroids()];
    for (int p = 0; p < 40; p++) {
      byte[] code = new byte[2];
      float error = cb.encode(row(s, p, dim), code, 0, acc);
      assertThat(error).isCloseTo(0f, within(1e-4f));
      assertThat(cb.decode(code)).containsExactly(row(s, p, dim), within(1e-6f));
    }
  }

  @Test
  void refusesAnEmptySample() {
    assertThatThrownBy(() -> ProductCodebook.train(new float[0], 0, 4, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample");
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theTableSumIsTheMeasureToTheDecodedVector(Metric metric) {
    int dim = 13; // 5 uneven sub-vectors
    float[] s = sample(4, 1500, dim);
    ProductCodebook cb = ProductCodebook.train(s, 1500, dim, 5);
    float[] acc = new float[cb.centroids()];
    float[] q = row(sample(5, 1, dim), 0, dim);
    float[] tab = cb.table(metric, q);
    for (int p = 0; p < 50; p++) {
      float[] v = row(s, p, dim);
      byte[] code = new byte[5];
      float error = cb.encode(v, code, 0, acc);
      float[] decoded = cb.decode(code);
      float sum = 0;
      for (int j = 0; j < 5; j++) {
        sum += tab[j * cb.centroids() + (code[j] & 0xFF)];
      }
      double expected = 0;
      double sqError = 0;
      for (int i = 0; i < dim; i++) {
        double d = q[i] - decoded[i];
        expected +=
            switch (metric) {
              case DOT -> q[i] * decoded[i];
              case L2 -> d * d;
              case L1 -> Math.abs(d);
            };
        sqError += (v[i] - decoded[i]) * (v[i] - decoded[i]);
      }
      assertThat((double) sum).isCloseTo(expected, within(1e-4 * (1 + Math.abs(expected))));
      assertThat((double) error).isCloseTo(sqError, within(1e-4 * (1 + sqError)));
    }
  }

  @Test
  void theNearestCentroidIsChosen() {
    int dim = 4;
    float[] s = sample(6, 3000, dim);
    ProductCodebook cb = ProductCodebook.train(s, 3000, dim, 2);
    float[] acc = new float[cb.centroids()];
    float[] v = row(sample(7, 1, dim), 0, dim);
    byte[] code = new byte[2];
    cb.encode(v, code, 0, acc);
    float[] chosen = cb.decode(code);
    // no other centroid of sub-vector 0 is closer to v's first half
    float[] book = cb.book();
    int k = cb.centroids();
    double best = sq(v[0] - chosen[0]) + sq(v[1] - chosen[1]);
    for (int c = 0; c < k; c++) {
      double d = sq(v[0] - book[c]) + sq(v[1] - book[k + c]);
      assertThat(d).isGreaterThanOrEqualTo(best - 1e-5);
    }
  }

  private static double sq(double x) {
    return x * x;
  }

  private static PointId[] ids(int n, int capacity) {
    PointId[] ids = new PointId[capacity];
    for (int i = 0; i < n; i++) {
      ids[i] = PointId.of(i);
    }
    return ids;
  }

  /** Writes rows {@code [from, to)} of {@code s} to both, then closes the batch. */
  private static void write(
      VectorStorage st, ProductQuantizedIndex ix, float[] s, int dim, int from, int to) {
    st.ensureCapacity(to);
    ix.ensureCapacity(to);
    for (int p = from; p < to; p++) {
      st.set(p, row(s, p, dim));
      ix.put(p, row(s, p, dim));
    }
    ix.afterWrites(st, ids(to, to), to, to);
  }

  @Test
  void scoresExactlyUntilTrainedThenRetrainsWhenTheCollectionQuadruples() {
    int dim = 8;
    int n = 4 * ProductQuantizedIndex.MIN_TRAINING;
    float[] s = sample(8, n, dim);
    HeapVectorStorage st = new HeapVectorStorage(dim);
    try (ProductQuantizedIndex ix =
        new ProductQuantizedIndex(
            dim, Distance.EUCLID, Compression.X16, Kernels.active(), st, null)) {
      assertThat(ix.subVectors()).isEqualTo(2);
      write(st, ix, s, dim, 0, 100);
      assertThat(ix.codebook()).isNull();
      float[] q = row(s, 3, dim);
      TopK top = new TopK(1, false, ids(100, 100));
      ix.scan(q, ids(100, 100), 100, null, false, 0f, top);
      int[] slot = new int[1];
      float[] score = new float[1];
      top.drainBestFirst(slot, score);
      assertThat(slot[0]).isEqualTo(3);
      assertThat(score[0]).isEqualTo(0f);
      assertThat(ix.scoreOf(ix.distanceFrom(q).distance(5)))
          .isCloseTo(st.score(Kernels.active(), Metric.L2, q, 5), within(1e-4f));

      write(st, ix, s, dim, 100, ProductQuantizedIndex.MIN_TRAINING);
      assertThat(ix.trainings()).isEqualTo(1);
      assertThat(ix.codebook()).isNotNull();
      write(st, ix, s, dim, ProductQuantizedIndex.MIN_TRAINING, n / 2 - 1);
      assertThat(ix.trainings()).isEqualTo(1);
      write(st, ix, s, dim, n / 2 - 1, n);
      assertThat(ix.trainings()).isEqualTo(2);
      // trained: the approximate score is the distance to the decoded vector
      ProductCodebook cb = java.util.Objects.requireNonNull(ix.codebook());
      byte[] code = new byte[2];
      cb.encode(row(s, 7, dim), code, 0, new float[cb.centroids()]);
      float[] decoded = cb.decode(code);
      double expected = 0;
      for (int i = 0; i < dim; i++) {
        expected += sq(q[i] - decoded[i]);
      }
      assertThat((double) ix.scoreOf(ix.distanceFrom(q).distance(7)))
          .isCloseTo(Math.sqrt(expected), within(1e-4));
    } finally {
      st.close();
    }
  }

  @Test
  void mappedCodesAnswerAsHeapCodes() {
    int dim = 16;
    int n = ProductQuantizedIndex.MIN_TRAINING + 200;
    float[] s = sample(9, n, dim);
    HeapVectorStorage st = new HeapVectorStorage(dim);
    Path file = dir.resolve("pq.codes");
    try (ProductQuantizedIndex heap =
            new ProductQuantizedIndex(
                dim, Distance.DOT, Compression.X8, Kernels.active(), st, null);
        ProductQuantizedIndex mapped =
            new ProductQuantizedIndex(
                dim, Distance.DOT, Compression.X8, Kernels.active(), st, file)) {
      st.ensureCapacity(n);
      heap.ensureCapacity(n);
      mapped.ensureCapacity(n);
      for (int p = 0; p < n; p++) {
        st.set(p, row(s, p, dim));
        heap.put(p, row(s, p, dim));
        mapped.put(p, row(s, p, dim));
      }
      heap.afterWrites(st, ids(n, n), n, n);
      mapped.afterWrites(st, ids(n, n), n, n);
      assertThat(mapped.mappedBytes()).isGreaterThanOrEqualTo((long) n * 8);
      assertThat(heap.mappedBytes()).isZero();
      assertThat(heap.heapBytes()).isGreaterThan(mapped.heapBytes() + (long) n * 8 - 1);
      float[] q = row(sample(10, 1, dim), 0, dim);
      NodeDistance a = heap.distanceFrom(q);
      NodeDistance b = mapped.distanceFrom(q);
      for (int p = 0; p < n; p += 37) {
        assertThat(b.distance(p)).isEqualTo(a.distance(p));
      }
    } finally {
      st.close();
    }
    assertThat(file).doesNotExist();
  }
}
