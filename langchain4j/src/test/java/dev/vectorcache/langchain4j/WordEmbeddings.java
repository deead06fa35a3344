package dev.vectorcache.langchain4j;

import dev.vectorcache.semantic.EmbeddingFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedding function for the tests: the sum of one pseudo-random direction per
 * lowercase word (punctuation ignored), so prompts with the same words, in any order or case, get
 * the same direction and prompts with different words nearly orthogonal ones. Counts its calls.
 */
final class WordEmbeddings implements EmbeddingFunction {
  static final int DIM = 64;

  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public List<float[]> embedAll(List<String> texts) {
    calls.incrementAndGet();
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(vector(t));
    }
    return out;
  }

  int calls() {
    return calls.get();
  }

  static float[] vector(String text) {
    float[] v = new float[DIM];
    v[0] = 1e-3f; // never the zero vector
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+", -1)) {
      if (word.isEmpty()) {
        continue;
      }
      Random r = new Random(word.hashCode());
      for (int i = 0; i < DIM; i++) {
        v[i] += (float) r.nextGaussian();
      }
    }
    return v;
  }
}
