package dev.vectorcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashingEmbedderTest {
  private final HashingEmbedder e = new HashingEmbedder();

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void sameTextSameVectorUnitLength() {
    float[] a = e.embed("How far away are the stars?");
    float[] b = new HashingEmbedder().embed("How far away are the stars?");
    assertThat(a).hasSize(384).containsExactly(b);
    assertThat(dot(a, a)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
  }

  @Test
  void knownVectorIsStableAcrossReleases() {
    // guards the hashing scheme: stored vectors must keep matching queries after an upgrade
    float[] v = new HashingEmbedder(16).embed("star");
    float[] again = new HashingEmbedder(16).embed("STARS!");
    assertThat(v).containsExactly(again);
  }

  @Test
  void sharedWordsScoreHigherThanUnrelatedText() {
    float[] q = e.embed("how far away are the stars");
    float[] astronomy = e.embed("The nearest stars are light-years away");
    float[] cooking = e.embed("Simmer tomatoes and basil for a rich sauce");
    assertThat(dot(q, astronomy)).isGreaterThan(dot(q, cooking) + 0.2);
  }

  @Test
  void pluralsAndCaseMatch() {
    assertThat(HashingEmbedder.words("Galaxies and STARS", true)).containsExactly("galaxy", "star");
  }

  @Test
  void stopWordsOnlyStillEmbeds() {
    float[] v = e.embed("how are you");
    assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
  }

  @Test
  void noWordsIsRejected() {
    assertThatThrownBy(() -> e.embed("  ?! "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("letters or digits");
    assertThatThrownBy(() -> new HashingEmbedder(2)).hasMessageContaining("8 or more");
  }
}
