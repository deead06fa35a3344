package dev.vectorcache.examples;

// tag::imports[]
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.vectorcache.core.VectorCache;
import dev.vectorcache.core.model.CollectionConfig;
import dev.vectorcache.core.model.Distance;
import dev.vectorcache.semantic.CachedResponse;
import dev.vectorcache.semantic.EmbeddingCache;
import dev.vectorcache.semantic.HitValidator;
import dev.vectorcache.semantic.Scope;
import dev.vectorcache.semantic.SemanticCache;
import dev.vectorcache.semantic.SemanticHit;
import dev.vectorcache.semantic.TtlPolicy;
import dev.vectorcache.spi.Backends;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// end::imports[]

/**
 * docs/semantic-cache.md: caches the answers of a stand-in "LLM" with a real local embedding model
 * (all-MiniLM-L6-v2, quantized, run offline by ONNX Runtime through LangChain4j), on the embedded
 * stores. Prints one line per question: the tier that answered (or "llm") and the answer.
 */
public class SemanticCaching {
  /** How often the stand-in model was called. */
  static final AtomicInteger LLM_CALLS = new AtomicInteger();

  /** The stand-in for a chat model: slow and costly in real life. */
  static String llm(String prompt) {
    LLM_CALLS.incrementAndGet();
    return "answer #" + LLM_CALLS.get() + " to: " + prompt;
  }

  public static void main(String[] args) {
    Backends backends = Backends.discover();
    // tag::setup[]
    EmbeddingModel miniLm = new AllMiniLmL6V2QuantizedEmbeddingModel(); // 384 dimensions, offline
    // The embedding cache never pays twice for the same text: one MGET per batch, misses embedded
    // in one call, vectors kept as exact float32 bytes.
    EmbeddingCache embeddings =
        EmbeddingCache.builder()
            .metadataStore(backends.openEmbeddedMetadataStore())
            .modelId("all-MiniLM-L6-v2-q")
            .dimension(384)
            .embeddingFunction(
                texts ->
                    miniLm
                        .embedAll(texts.stream().map(TextSegment::from).toList())
                        .content()
                        .stream()
                        .map(Embedding::vector)
                        .toList())
            .build();
    VectorCache answers =
        VectorCache.builder()
            .collection("llm-answers")
            .collectionConfig(CollectionConfig.memoryOptimized(384, Distance.COSINE))
            .vectorStore(backends.openEmbeddedVectorStore())
            .metadataStore(backends.openEmbeddedMetadataStore())
            .build();
    SemanticCache cache =
        SemanticCache.builder()
            .vectorCache(answers)
            .modelId("all-MiniLM-L6-v2-q")
            .embeddingFunction(embeddings::embedAll)
            .threshold(0.80) // Cosine similarity: a semantic hit scores above it
            .validator(sameNamesAndNumbers())
            .defaultTtl(TtlPolicy.sliding(Duration.ofHours(1), Duration.ofDays(1)))
            .build();
    // end::setup[]
    try (embeddings;
        cache) {
      cache.initialize();
      // tag::ask[]
      Scope acme = Scope.of("tenant", "acme").with("model", "chat-model-1");
      ask(cache, acme, "What is the capital of France?"); // a miss: the LLM answers
      ask(cache, acme, "  What is the capital   of France?"); // the same normalised prompt: exact
      ask(cache, acme, "What's the capital city of France?"); // similar: semantic
      ask(cache, acme, "What is the capital of Germany?"); // close, but another name: rejected
      Scope globex = Scope.of("tenant", "globex").with("model", "chat-model-1");
      ask(cache, globex, "What is the capital of France?"); // another tenant never sees acme's
      // end::ask[]
      System.out.printf(
          "llm calls: %d, texts embedded: %d%n",
          LLM_CALLS.get(), embeddings.stats().textsEmbedded());
    }
  }

  // tag::lookup[]
  /** Answers from the cache when it can, else asks the LLM and caches its answer. */
  static void ask(SemanticCache cache, Scope scope, String prompt) {
    Optional<SemanticHit> hit = cache.lookup(scope, prompt);
    if (hit.isPresent()) {
      SemanticHit h = hit.get();
      System.out.printf(
          "%-8s %.3f %s -> %s%n", h.tier(), h.score(), prompt.strip(), h.response().text());
      return;
    }
    String answer = llm(prompt);
    cache.put(scope, prompt, CachedResponse.of(answer));
    System.out.printf("%-8s %5s %s -> %s%n", "llm", "", prompt.strip(), answer);
  }

  // end::lookup[]

  // tag::validator[]
  /**
   * Rejects a semantic hit whose prompt names other capitalised words or numbers than the question:
   * "capital of France" and "capital of Germany" embed close together.
   */
  static HitValidator sameNamesAndNumbers() {
    Pattern names = Pattern.compile("\\b(?:\\p{Lu}\\p{L}+|\\d+(?:[.,]\\d+)?)\\b");
    Function<String, Set<String>> of =
        text -> {
          Matcher m = names.matcher(text);
          Set<String> found = new TreeSet<>();
          while (m.find()) {
            if (m.start() > 0) { // the first word is capitalised anyway
              found.add(m.group());
            }
          }
          return found;
        };
    return (prompt, candidate) -> of.apply(prompt).equals(of.apply(candidate.prompt()));
  }
  // end::validator[]
}
