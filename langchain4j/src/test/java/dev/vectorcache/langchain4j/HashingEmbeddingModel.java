package dev.vectorcache.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.vectorcache.testkit.TrigramVectors;
import java.util.ArrayList;
import java.util.List;

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
    return TrigramVectors.of(text, DIMENSION);
  }
}
