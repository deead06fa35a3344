package dev.vectorcache.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Seeded benchmark data: synthetic clustered vectors, and real sentence embeddings of a generated
 * corpus (all-MiniLM-L6-v2, quantized ONNX, offline) cached on disk so a second run does not
 * re-embed.
 */
final class Datasets {
  static final int QUERIES = 100;

  private Datasets() {}

  /** Points and held-out queries. Vectors are unit length (the suite uses Cosine). */
  // a class, not a record: a record's equals would compare these arrays by reference
  static final class Data {
    private final String name;
    private final float[][] points;
    private final float[][] queries;

    Data(String name, float[][] points, float[][] queries) {
      this.name = name;
      this.points = points;
      this.queries = queries;
    }

    String name() {
      return name;
    }

    float[][] points() {
      return points;
    }

    float[][] queries() {
      return queries;
    }

    int dimension() {
      return points[0].length;
    }
  }

  static Data load(String dataset, int n, int dim, int corpus) {
    return switch (dataset) {
      case "clustered" -> clustered(42, n, dim);
      case "minilm" -> minilm(corpus);
      default -> throw new IllegalArgumentException("dataset: clustered or minilm, not " + dataset);
    };
  }

  /**
   * {@code n} points around {@code max(1, n/100)} Gaussian centres (spread 0.5 per component around
   * N(0,1) centres), normalised; queries come from the same centres.
   */
  static Data clustered(long seed, int n, int dim) {
    int clusters = Math.max(1, n / 100);
    Random r = new Random(seed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) r.nextGaussian();
      }
    }
    return new Data(
        "clustered",
        around(centres, new Random(seed + 1), n),
        around(centres, new Random(seed + 2), QUERIES));
  }

  private static float[][] around(float[][] centres, Random r, int n) {
    int dim = centres[0].length;
    float[][] out = new float[n][];
    for (int p = 0; p < n; p++) {
      float[] c = centres[r.nextInt(centres.length)];
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) {
        v[i] = (float) (c[i] + 0.5 * r.nextGaussian());
      }
      out[p] = normalise(v);
    }
    return out;
  }

  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  // ---- real embeddings ----

  private static final String[] SUBJECTS = {
    "The customer", "Our support team", "A new employee", "The delivery driver", "My neighbour",
    "The software engineer", "A small bakery", "The city council", "Every student", "The pilot",
    "The hospital", "A local farmer", "The museum", "Our landlord", "The football club",
    "The research lab", "A young musician", "The train operator", "The bank", "The chef",
    "The library", "An old sailor", "The startup", "The weather service", "The school nurse"
  };
  private static final String[] VERBS = {
    "complained about", "fixed", "ordered", "cancelled", "reviewed", "paid for", "lost",
    "recommended", "repaired", "returned", "scheduled", "photographed", "painted", "shipped",
    "ignored", "celebrated", "investigated", "sold", "borrowed", "designed"
  };
  private static final String[] OBJECTS = {
    "a broken laptop",
    "the monthly invoice",
    "a late parcel",
    "the kitchen sink",
    "a vintage bicycle",
    "the annual report",
    "a birthday cake",
    "the rooftop garden",
    "a train ticket",
    "the password reset",
    "a wool sweater",
    "the flight to Lisbon",
    "a jar of honey",
    "the database migration",
    "a concert ticket",
    "the leaking roof",
    "a used car",
    "the insurance claim",
    "a pair of running shoes",
    "the wedding venue",
    "a stack of old maps",
    "the heating system",
    "a box of apples",
    "the phone contract",
    "a pizza oven",
    "the hiking trail",
    "a violin",
    "the parking permit",
    "a telescope",
    "the coffee machine"
  };
  private static final String[] TAILS = {
    "yesterday morning.", "after a long delay.", "without telling anyone.", "for the third time.",
    "during the storm.", "before the holidays.", "at a surprising price.", "with great care.",
    "in a hurry.", "on behalf of a friend.", "despite the rain.", "late at night.",
    "as a favour.", "for the first time.", "with some help.", "next to the station."
  };

  /** The {@code i}-th sentence of the generated corpus; deterministic, spread over templates. */
  static String sentence(int i) {
    long total = (long) SUBJECTS.length * VERBS.length * OBJECTS.length * TAILS.length;
    long k = (i * 2_654_435_761L) % total; // a multiplicative hash: consecutive i are unrelated
    int t = (int) (k % TAILS.length);
    k /= TAILS.length;
    int o = (int) (k % OBJECTS.length);
    k /= OBJECTS.length;
    int v = (int) (k % VERBS.length);
    k /= VERBS.length;
    int s = (int) (k % SUBJECTS.length);
    return SUBJECTS[s] + " " + VERBS[v] + " " + OBJECTS[o] + " " + TAILS[t];
  }

  /**
   * Where embeddings are cached: {@code vectorcache.bench.cache} or env, else ./.benchmarks-cache.
   */
  static Path cacheDir() {
    String dir = setting("vectorcache.bench.cache", "VECTORCACHE_BENCH_CACHE", ".benchmarks-cache");
    return Paths.get(dir);
  }

  static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }

  /** {@code corpus} sentence embeddings plus {@value #QUERIES} held-out query sentences. */
  static Data minilm(int corpus) {
    int total = corpus + QUERIES;
    Path file = cacheDir().resolve("minilm-l6-v2-" + total + ".f32");
    float[][] all = Files.exists(file) ? read(file, total) : null;
    if (all == null) {
      all = embed(total);
      write(file, all);
    }
    float[][] points = new float[corpus][];
    float[][] queries = new float[QUERIES][];
    System.arraycopy(all, 0, points, 0, corpus);
    System.arraycopy(all, corpus, queries, 0, QUERIES);
    return new Data("minilm", points, queries);
  }

  private static float[][] embed(int total) {
    EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    float[][] out = new float[total][];
    int batch = 256;
    for (int start = 0; start < total; start += batch) {
      List<TextSegment> segments = new ArrayList<>();
      for (int i = start; i < Math.min(total, start + batch); i++) {
        segments.add(TextSegment.from(sentence(i)));
      }
      List<Embedding> embeddings = model.embedAll(segments).content();
      for (int j = 0; j < embeddings.size(); j++) {
        out[start + j] = normalise(embeddings.get(j).vector());
      }
    }
    return out;
  }

  private static float @Nullable [][] read(Path file, int total) {
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      int dim = in.readInt();
      if (n != total) {
        return null;
      }
      float[][] out = new float[n][dim];
      for (float[] v : out) {
        for (int i = 0; i < dim; i++) {
          v[i] = in.readFloat();
        }
      }
      return out;
    } catch (IOException e) {
      return null; // a damaged cache is rebuilt
    }
  }

  private static void write(Path file, float[][] vectors) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "minilm", ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(vectors.length);
        out.writeInt(vectors[0].length);
        for (float[] v : vectors) {
          for (float x : v) {
            out.writeFloat(x);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache " + file, e);
    }
  }

  /** Exact top-{@code k} ids (indices) of each query by dot product, brute force. */
  static int[][] groundTruth(float[][] points, float[][] queries, int k) {
    int[][] out = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      float[] query = queries[q];
      int[] best = new int[k];
      float[] bestScore = new float[k];
      java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
      for (int p = 0; p < points.length; p++) {
        float[] v = points[p];
        float s = 0;
        for (int i = 0; i < v.length; i++) {
          s += query[i] * v[i];
        }
        if (s > bestScore[k - 1]) {
          int j = k - 1;
          while (j > 0 && bestScore[j - 1] < s) {
            bestScore[j] = bestScore[j - 1];
            best[j] = best[j - 1];
            j--;
          }
          bestScore[j] = s;
          best[j] = p;
        }
      }
      out[q] = best;
    }
    return out;
  }
}
