package dev.vectorcache.semantic;

import java.util.List;

/**
 * Turns texts into embeddings: the model a {@code SemanticCache} or an {@code EmbeddingCache} is
 * built with (a LangChain4j or Spring AI embedding model, a remote API, a local ONNX model).
 *
 * <p>The caches call {@link #embedAll(List)} once per batch of misses, and check every vector it
 * returns (count, dimension, finite components) before using it.
 */
@FunctionalInterface
public interface EmbeddingFunction {

  /**
   * The embeddings of {@code texts}, in order, one per text.
   *
   * @param texts the texts, not empty
   * @return one vector per text, in the same order
   */
  List<float[]> embedAll(List<String> texts);

  /**
   * The embedding of one text.
   *
   * @param text the text
   * @return its vector
   */
  default float[] embed(String text) {
    return embedAll(List.of(text)).get(0);
  }
}
