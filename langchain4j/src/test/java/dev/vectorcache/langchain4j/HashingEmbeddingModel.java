package dev.vectorcache.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic embedding model for the tests: the character trigrams of the text (lower case,
 * padded with spaces) hashed into {@value #DIMENSION} non-negative counts, normalized to length 1.
 * Equal texts get equal vectors, texts sharing trigrams get a positive cosine, and no model is
 * loaded.
 */
final class HashingEmbeddingModel implements EmbeddingModel {
  static final int DIMENSION = 384;

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    List<Embedding> embeddings = new ArrayList<>(segments.size());
    for (TextSegment s : segments) {
      embeddings.add(Embedding.from(vector(s.text())));
    }
    return Response.from(embeddings);
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  static float[] vector(String text) {
    double[] counts = new double[DIMENSION];
    byte[] bytes = (" " + text.toLowerCase(Locale.ROOT) + " ").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 3 <= bytes.length; i++) {
      int h = 17;
      for (int j = i; j < i + 3; j++) {
        h = h * 31 + bytes[j];
      }
      counts[Math.floorMod(h * 0x9E3779B1, DIMENSION)] += 1;
    }
    double norm = 0;
    for (double c : counts) {
      norm += c * c;
    }
    norm = Math.sqrt(norm);
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (counts[i] / norm);
    }
    return v;
  }
}
