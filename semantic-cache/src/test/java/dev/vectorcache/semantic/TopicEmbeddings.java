package dev.vectorcache.semantic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for an embedding model. A prompt's first word is its topic: prompts of
 * one topic get nearly the same vector (Cosine similarity above 0.99), prompts of different topics
 * nearly orthogonal ones (below 0.8 in 64 dimensions, with overwhelming probability). Counts its
 * calls.
 */
final class TopicEmbeddings implements EmbeddingFunction {
  static final int DIM = 64;

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger texts = new AtomicInteger();

  @Override
  public List<float[]> embedAll(List<String> batch) {
    calls.incrementAndGet();
    texts.addAndGet(batch.size());
    List<float[]> out = new ArrayList<>(batch.size());
    for (String t : batch) {
      out.add(vector(t));
    }
    return out;
  }

  int calls() {
    return calls.get();
  }

  /** The vector of a prompt: its topic's direction plus a little noise from the whole prompt. */
  static float[] vector(String prompt) {
    String p = prompt.strip();
    int space = p.indexOf(' ');
    String topic = space < 0 ? p : p.substring(0, space);
    float[] v = topicVector(topic);
    Random noise = new Random(prompt.hashCode() * 31L + 7);
    for (int i = 0; i < DIM; i++) {
      v[i] += (float) (noise.nextGaussian() * 0.01);
    }
    return v;
  }

  static float[] topicVector(String topic) {
    Random r = new Random(topic.hashCode());
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
