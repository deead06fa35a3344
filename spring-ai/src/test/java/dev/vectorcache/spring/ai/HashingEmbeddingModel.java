package dev.vectorcache.spring.ai;

import dev.vectorcache.testkit.TrigramVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * A deterministic, offline Spring AI {@link EmbeddingModel}: each lower-cased character trigram of
 * the text (padded with a space on each side) is hashed into one of 384 dimensions and the counts
 * are normalised, so texts that share trigrams are close and the same text is the same vector. It
 * counts its calls and the texts it embedded.
 */
final class HashingEmbeddingModel implements EmbeddingModel {
  static final int DIMENSION = 384;

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger texts = new AtomicInteger();

  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    calls.incrementAndGet();
    List<Embedding> out = new ArrayList<>();
    List<String> instructions = request.getInstructions();
    for (int i = 0; i < instructions.size(); i++) {
      texts.incrementAndGet();
      out.add(new Embedding(vector(instructions.get(i)), i));
    }
    return new EmbeddingResponse(out);
  }

  @Override
  public float[] embed(Document document) {
    String text = document.getText();
    return embed(text == null ? "" : text);
  }

  @Override
  public int dimensions() {
    return DIMENSION;
  }

  /** How many requests the model answered. */
  int calls() {
    return calls.get();
  }

  /** How many texts it embedded. */
  int texts() {
    return texts.get();
  }

  static float[] vector(String text) {
    return TrigramVectors.of(text, DIMENSION);
  }
}
