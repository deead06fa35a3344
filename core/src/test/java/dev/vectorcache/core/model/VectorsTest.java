package dev.vectorcache.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.exception.DimensionMismatchException;
import dev.vectorcache.core.exception.InvalidVectorException;
import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void normalisesForCosineLikeQdrant() {
    float[] n = Vectors.normalizeForCosine(new float[] {3, 4});
    assertThat(n[0]).isCloseTo(0.6f, within(1e-7f));
    assertThat(n[1]).isCloseTo(0.8f, within(1e-7f));
    // already unit length, or (nearly) zero: returned unchanged
    assertThat(Vectors.normalizeForCosine(new float[] {1, 0})).containsExactly(1, 0);
    assertThat(Vectors.normalizeForCosine(new float[] {1e-5f, 0})).containsExactly(1, 0);
  }

  @Test
  void checkNamesTheFieldAndTheProblem() {
    VectorParams p = VectorParams.of(3, Distance.COSINE);
    assertThatThrownBy(() -> Vectors.check(new float[] {1, 2}, "query", p))
        .isInstanceOf(DimensionMismatchException.class)
        .hasMessageContaining("query")
        .hasMessageContaining("dimension 3")
        .hasMessageContaining("dimension 2");
    assertThatThrownBy(() -> Vectors.check(new float[3], "v", p))
        .isInstanceOf(InvalidVectorException.class)
        .hasMessageContaining("non-zero norm");
    // a zero vector is fine where the distance is defined for it
    assertThat(Vectors.check(new float[3], "v", VectorParams.of(3, Distance.EUCLID))).hasSize(3);
  }

  @Test
  void distancesKnowTheirOrderAndStrictThresholds() {
    assertThat(Distance.COSINE.passes(0.6f, 0.6f)).isFalse();
    assertThat(Distance.COSINE.passes(0.61f, 0.6f)).isTrue();
    assertThat(Distance.EUCLID.passes(2f, 2f)).isFalse();
    assertThat(Distance.EUCLID.passes(1.9f, 2f)).isTrue();
    assertThat(Distance.MANHATTAN.compareBestFirst(1f, 2f)).isNegative();
    assertThat(Distance.DOT.compareBestFirst(1f, 2f)).isPositive();
  }
}
