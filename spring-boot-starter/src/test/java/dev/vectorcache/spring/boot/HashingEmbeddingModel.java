package dev.vectorcache.spring.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/** A deterministic embedding model for tests: byte counts folded into {@code dimension} slots. */
final class HashingEmbeddingModel implements EmbeddingModel {
  final int dimension;
  final AtomicInteger calls = new AtomicInteger();

  HashingEmbeddingModel(int dimension) {
    this.dimension = dimension;
  }

  float[] vector(String text) {
    float[] v = new float[dimension];
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      v[(b & 0xff) % dimension] += 1;
    }
    v[0] += 0.5f; // never the zero vector
    return v;
  }

  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    calls.incrementAndGet();
    List<Embedding> out = new ArrayList<>();
    for (String text : request.getInstructions()) {
      out.add(new Embedding(vector(text), out.size()));
    }
    return new EmbeddingResponse(out);
  }

  @Override
  public float[] embed(Document document) {
    String text = document.getText();
    return vector(text == null ? "" : text);
  }

  @Override
  public int dimensions() {
    return dimension;
  }
}
