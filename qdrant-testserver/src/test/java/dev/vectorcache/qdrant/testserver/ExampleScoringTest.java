package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.model.Distance;
import dev.vectorcache.core.model.SparseVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formulas of {@link ExampleScoring}, against values taken from Qdrant's own unit tests. */
class ExampleScoringTest {
  private static final ExampleScoring.Metric DOT = ExampleScoring.dense(Distance.DOT);

  private static SpaceVector d(float... v) {
    return new SpaceVector.Dense(v);
  }

  private static SpaceVector s(int[] indices, float[] values) {
    return new SpaceVector.Sparse(SparseVector.of(indices, values));
  }

  @Test
  void sparseSimilarityIsTheDotProductOverSharedIndicesWeightedByIdf() {
    SpaceVector a = s(new int[] {1, 2, 5}, new float[] {1, 2, 3});
    SpaceVector b = s(new int[] {2, 5, 9}, new float[] {4, 1, 7});
    // shared indices 2 and 5: 2 * 4 + 3 * 1 = 11; none shared: 0
    assertThat(ExampleScoring.sparse(null).similarity(a, b)).isEqualTo(11f);
    assertThat(ExampleScoring.sparse(null).similarity(a, s(new int[] {7}, new float[] {1})))
        .isZero();
    // the example's values weighted: idf(2) = 0.5, idf(5) = 2: 0.5 * 8 + 2 * 3 = 10
    assertThat(ExampleScoring.sparse(i -> i == 2 ? 0.5 : 2).similarity(a, b)).isEqualTo(10f);
  }

  @Test
  void sparseAverageCombinesTheUnionOfIndices() {
    SpaceVector q =
        ExampleScoring.averageVector(
            List.of(s(new int[] {1}, new float[] {2}), s(new int[] {1, 3}, new float[] {4, 2})),
            List.of(s(new int[] {3, 4}, new float[] {1, 5})));
    // avg(pos) = {1: 3, 3: 1}; 2 * avg(pos) - {3: 1, 4: 5} = {1: 6, 3: 1, 4: -5}
    SparseVector v = SpaceVector.sparse(q);
    assertThat(v.indices()).containsExactly(1, 3, 4);
    assertThat(v.values()).containsExactly(6f, 1f, -5f);
  }

  @Test
  void sigmoidsAreQdrants() {
    assertThat(ExampleScoring.fastSigmoid(1f)).isEqualTo(0.5f);
    assertThat(ExampleScoring.fastSigmoid(-3f)).isEqualTo(-0.75f);
    assertThat(ExampleScoring.scaledFastSigmoid(0f)).isEqualTo(0.5f);
    assertThat(ExampleScoring.scaledFastSigmoid(1f)).isEqualTo(0.75f);
    assertThat(ExampleScoring.scaledFastSigmoid(-1f)).isEqualTo(0.25f);
  }

  @Test
  void similaritiesAreLargerIsBetterForEveryDistance() {
    float[] a = {1, 2};
    float[] b = {4, 6};
    assertThat(ExampleScoring.similarity(Distance.DOT, a, b)).isEqualTo(16f);
    assertThat(ExampleScoring.similarity(Distance.EUCLID, a, b)).isEqualTo(-25f);
    assertThat(ExampleScoring.similarity(Distance.MANHATTAN, a, b)).isEqualTo(-7f);
    float[] unit = ExampleScoring.preprocess(Distance.COSINE, new float[] {3, 4});
    assertThat(unit[0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(unit[1]).isCloseTo(0.8f, within(1e-6f));
  }

  @Test
  void averageVectorIsTwicePositiveMinusNegative() {
    float[] q =
        SpaceVector.dense(
            ExampleScoring.averageVector(List.of(d(1, 0), d(3, 2)), List.of(d(0, 4))));
    // avg(pos) = (2, 1); 2 * (2, 1) - (0, 4) = (4, -2)
    assertThat(q).containsExactly(4f, -2f);
    assertThat(SpaceVector.dense(ExampleScoring.averageVector(List.of(d(1, 3)), List.of())))
        .containsExactly(1f, 3f);
  }

  @Test
  void bestScoreChoosesTheBetterSideAndNegatesNegatives() {
    // Qdrant's cases, with the similarity read off the first coordinate under Dot and (1, 0)
    SpaceVector one = d(1, 0);
    ExampleScoring.CustomScore higherPositive =
        ExampleScoring.bestScore(DOT, List.of(d(42, 0)), List.of(d(4, 0)));
    assertThat(higherPositive.score(one)).isEqualTo(ExampleScoring.scaledFastSigmoid(42));
    ExampleScoring.CustomScore higherNegative =
        ExampleScoring.bestScore(DOT, List.of(d(4, 0)), List.of(d(42, 0)));
    assertThat(higherNegative.score(one)).isEqualTo(-ExampleScoring.scaledFastSigmoid(42));
    // a tie goes to the negative
    ExampleScoring.CustomScore tie =
        ExampleScoring.bestScore(DOT, List.of(d(5, 0)), List.of(d(5, 0)));
    assertThat(tie.score(one)).isEqualTo(-ExampleScoring.scaledFastSigmoid(5));
  }

  @Test
  void discoveryRanksThenUsesTheTarget() {
    SpaceVector one = d(1, 0);
    // pairs (10, 4) and (4, 2): rank 2; target similarity 0
    ExampleScoring.CustomScore best =
        ExampleScoring.discover(
            DOT,
            d(0, 0),
            List.of(
                new ExampleScoring.Pair(d(10, 0), d(4, 0)),
                new ExampleScoring.Pair(d(4, 0), d(2, 0))));
    assertThat(best.score(one)).isEqualTo(2.5f);
    // a pair of equal similarities ranks 0
    ExampleScoring.CustomScore neutral =
        ExampleScoring.discover(DOT, d(1, 0), List.of(new ExampleScoring.Pair(d(11, 0), d(11, 0))));
    assertThat(neutral.score(one)).isEqualTo(0.75f);
  }

  @Test
  void contextLossIsZeroOnlyOnThePositiveSide() {
    SpaceVector one = d(1, 0);
    ExampleScoring.CustomScore inside =
        ExampleScoring.context(DOT, List.of(new ExampleScoring.Pair(d(3, 0), d(1, 0))));
    assertThat(inside.score(one)).isZero();
    ExampleScoring.CustomScore outside =
        ExampleScoring.context(DOT, List.of(new ExampleScoring.Pair(d(1, 0), d(2, 0))));
    assertThat(outside.score(one)).isCloseTo(-0.5f, within(1e-6f));
    // equal similarities sit just outside: the margin is f32::EPSILON
    ExampleScoring.CustomScore border =
        ExampleScoring.context(DOT, List.of(new ExampleScoring.Pair(d(2, 0), d(2, 0))));
    assertThat(border.score(one)).isNegative().isGreaterThan(-1e-6f);
  }
}
