package dev.vectorcache.qdrant.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vectorcache.core.model.Distance;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formulas of {@link ExampleScoring}, against values taken from Qdrant's own unit tests. */
class ExampleScoringTest {

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
        ExampleScoring.averageVector(
            List.of(new float[] {1, 0}, new float[] {3, 2}), List.of(new float[] {0, 4}));
    // avg(pos) = (2, 1); 2 * (2, 1) - (0, 4) = (4, -2)
    assertThat(q).containsExactly(4f, -2f);
    assertThat(ExampleScoring.averageVector(List.of(new float[] {1, 3}), List.of()))
        .containsExactly(1f, 3f);
  }

  @Test
  void bestScoreChoosesTheBetterSideAndNegatesNegatives() {
    // Qdrant's cases, with the similarity read off the first coordinate under Dot and (1, 0)
    float[] one = {1, 0};
    ExampleScoring.CustomScore higherPositive =
        ExampleScoring.bestScore(
            Distance.DOT, List.of(new float[] {42, 0}), List.of(new float[] {4, 0}));
    assertThat(higherPositive.score(one)).isEqualTo(ExampleScoring.scaledFastSigmoid(42));
    ExampleScoring.CustomScore higherNegative =
        ExampleScoring.bestScore(
            Distance.DOT, List.of(new float[] {4, 0}), List.of(new float[] {42, 0}));
    assertThat(higherNegative.score(one)).isEqualTo(-ExampleScoring.scaledFastSigmoid(42));
    // a tie goes to the negative
    ExampleScoring.CustomScore tie =
        ExampleScoring.bestScore(
            Distance.DOT, List.of(new float[] {5, 0}), List.of(new float[] {5, 0}));
    assertThat(tie.score(one)).isEqualTo(-ExampleScoring.scaledFastSigmoid(5));
  }

  @Test
  void discoveryRanksThenUsesTheTarget() {
    float[] one = {1, 0};
    // pairs (10, 4) and (4, 2): rank 2; target similarity 0
    ExampleScoring.CustomScore best =
        ExampleScoring.discover(
            Distance.DOT,
            new float[] {0, 0},
            List.of(
                new ExampleScoring.Pair(new float[] {10, 0}, new float[] {4, 0}),
                new ExampleScoring.Pair(new float[] {4, 0}, new float[] {2, 0})));
    assertThat(best.score(one)).isEqualTo(2.5f);
    // a pair of equal similarities ranks 0
    ExampleScoring.CustomScore neutral =
        ExampleScoring.discover(
            Distance.DOT,
            new float[] {1, 0},
            List.of(new ExampleScoring.Pair(new float[] {11, 0}, new float[] {11, 0})));
    assertThat(neutral.score(one)).isEqualTo(0.75f);
  }

  @Test
  void contextLossIsZeroOnlyOnThePositiveSide() {
    float[] one = {1, 0};
    ExampleScoring.CustomScore inside =
        ExampleScoring.context(
            Distance.DOT, List.of(new ExampleScoring.Pair(new float[] {3, 0}, new float[] {1, 0})));
    assertThat(inside.score(one)).isZero();
    ExampleScoring.CustomScore outside =
        ExampleScoring.context(
            Distance.DOT, List.of(new ExampleScoring.Pair(new float[] {1, 0}, new float[] {2, 0})));
    assertThat(outside.score(one)).isCloseTo(-0.5f, within(1e-6f));
    // equal similarities sit just outside: the margin is f32::EPSILON
    ExampleScoring.CustomScore border =
        ExampleScoring.context(
            Distance.DOT, List.of(new ExampleScoring.Pair(new float[] {2, 0}, new float[] {2, 0})));
    assertThat(border.score(one)).isNegative().isGreaterThan(-1e-6f);
  }
}
